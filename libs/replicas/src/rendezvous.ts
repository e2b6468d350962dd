import { createHash } from 'node:crypto';

/**
 * Rendezvous (highest random weight) hashing: every replica computes, for each piece of
 * work (a repository, a cluster), a score per live member and gives it to the highest. All
 * replicas that see the same members agree without talking, and when a member leaves only
 * its work moves (each piece to the member that scored second for it).
 */
export function ownerOf(key: string, members: readonly string[]): string | undefined {
  let owner: string | undefined;
  let best = -1;
  for (const member of members) {
    const score = weight(member, key);
    if (score > best || (score === best && owner !== undefined && member < owner)) {
      best = score;
      owner = member;
    }
  }
  return owner;
}

function weight(member: string, key: string): number {
  // 48 bits of SHA-1: plenty to spread the work, and exact as a JavaScript number.
  return createHash('sha1').update(member).update('\n').update(key).digest().readUIntBE(0, 6);
}
