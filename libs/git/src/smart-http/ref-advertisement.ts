import { GitError } from '../git-error';
import type { RemoteRef } from '../remote-refs';
import { pktLines } from './pkt-line';

/**
 * Reads the protocol v0/v1 ref advertisement that `GET <repo>/info/refs?service=git-upload-pack`
 * answers (gitprotocol-http, gitprotocol-pack): a `# service=` line and a flush, then one
 * line per ref (`<oid> <name>`), the first one followed by NUL and the capabilities, each
 * annotated tag followed by its peeled line (`<oid> <name>^{}`), and a flush. An empty
 * repository advertises only `<zero oid> capabilities^{}`. HEAD's branch comes as the
 * capability `symref=HEAD:refs/heads/<branch>`.
 */
export function parseRefAdvertisement(body: Uint8Array, where: string): RemoteRef[] {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const refs: RemoteRef[] = [];
  let symrefs: string[] = [];
  let expectFlushAfterService = false;
  let seenRefLine = false;
  for (const line of pktLines(body, where)) {
    if (line.kind !== 'data') {
      if (expectFlushAfterService && line.kind === 'flush') {
        expectFlushAfterService = false;
        continue;
      }
      break; // the flush that ends the advertisement
    }
    let content = text.toString('utf8', line.start, line.end);
    if (!seenRefLine) {
      if (content.startsWith('# service=')) {
        expectFlushAfterService = true;
        continue;
      }
      if (content === 'version 1') continue;
      if (content.startsWith('version ')) {
        throw new GitError(
          'GitOperationFailed',
          `${where} answered with git protocol ${content.slice(8)}, which this ref check does not read`,
        );
      }
    }
    if (content.startsWith('ERR ')) {
      throw new GitError(
        'GitOperationFailed',
        `${where} refused the ref check: ${content.slice(4)}`,
      );
    }
    if (!seenRefLine) {
      seenRefLine = true;
      const nul = content.indexOf('\0');
      if (nul >= 0) {
        symrefs = capabilitySymrefs(content.slice(nul + 1));
        content = content.slice(0, nul);
      }
    }
    addRef(refs, content, where);
  }
  for (const symref of symrefs) {
    const colon = symref.indexOf(':');
    const ref = refs.find((candidate) => candidate.name === symref.slice(0, colon));
    if (ref) ref.target = symref.slice(colon + 1);
  }
  return refs;
}

const PEELED = '^{}';

function addRef(refs: RemoteRef[], line: string, where: string): void {
  const space = line.indexOf(' ');
  const oid = line.slice(0, space);
  const name = line.slice(space + 1);
  if (space < 0 || !isObjectId(oid) || name === '') {
    throw new GitError(
      'GitOperationFailed',
      `${where} sent a malformed ref line ${JSON.stringify(line.slice(0, 100))}: is it a git smart-HTTP server?`,
    );
  }
  if (name === 'capabilities^{}') return; // an empty repository
  if (name.endsWith(PEELED)) {
    // The commit behind the annotated tag advertised just before.
    const tag = refs[refs.length - 1];
    if (tag && tag.name === name.slice(0, -PEELED.length)) tag.commit = oid;
    return;
  }
  refs.push({ name, sha: oid, commit: oid });
}

function capabilitySymrefs(capabilities: string): string[] {
  return capabilities
    .split(' ')
    .filter((capability) => capability.startsWith('symref=') && capability.includes(':'))
    .map((capability) => capability.slice('symref='.length));
}

/** A SHA-1 or SHA-256 object id in lowercase hex (a loop, not a regex: one per ref per poll). */
function isObjectId(text: string): boolean {
  if (text.length !== 40 && text.length !== 64) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
