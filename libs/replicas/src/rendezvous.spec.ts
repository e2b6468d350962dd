import { describe, expect, it } from 'vitest';
import { ownerOf } from './rendezvous';

const repositories = Array.from({ length: 600 }, (_, i) => `https://git.example.com/org/repo-${i}`);
const owners = (members: string[]) => new Map(repositories.map((r) => [r, ownerOf(r, members)]));

describe('ownerOf (rendezvous hashing)', () => {
  it('gives every repository to exactly one live member, whatever order the members are listed in', () => {
    const members = ['poller-a', 'poller-b', 'poller-c'];
    const once = owners(members);
    expect(owners([...members].reverse())).toEqual(once);
    expect(new Set(once.values())).toEqual(new Set(members));
  });

  it('spreads repositories roughly evenly', () => {
    const counts = new Map<string, number>();
    for (const owner of owners(['a', 'b', 'c']).values())
      counts.set(owner ?? '', (counts.get(owner ?? '') ?? 0) + 1);
    for (const count of counts.values()) expect(count).toBeGreaterThan(150);
  });

  it('moves only the repositories of a member that leaves, and keeps the rest where they were', () => {
    const before = owners(['a', 'b', 'c']);
    const after = owners(['a', 'c']);
    for (const repository of repositories) {
      if (before.get(repository) !== 'b')
        expect(after.get(repository)).toBe(before.get(repository));
      else expect(['a', 'c']).toContain(after.get(repository));
    }
  });

  it('has no owner without members', () => {
    expect(ownerOf(repositories[0], [])).toBeUndefined();
  });
});
