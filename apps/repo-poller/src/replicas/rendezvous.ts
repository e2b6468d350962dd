import { createHash } from 'node:crypto';

/**
 * Rendezvous (highest random weight) hashing: every replica computes, for each repository,
 * a score per live member and gives the repository to the highest. All replicas that see
 * the same members agree without talking, and when a member leaves only its repositories
 * move (each to the member that scored second for it).
 */
export function ownerOf(repositoryKey: string, members: readonly string[]): string | undefined {
  let owner: string | undefined;
  let best = -1;
  for (const member of members) {
    const score = weight(member, repositoryKey);
    if (score > best || (score === best && owner !== undefined && member < owner)) {
      best = score;
      owner = member;
    }
  }
  return owner;
}

function weight(member: string, repositoryKey: string): number {
  // 48 bits of SHA-1: plenty to spread repositories, and exact as a JavaScript number.
  return createHash('sha1')
    .update(member)
    .update('\n')
    .update(repositoryKey)
    .digest()
    .readUIntBE(0, 6);
}
