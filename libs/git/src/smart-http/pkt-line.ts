import { GitError } from '../git-error';

/**
 * Git's pkt-line framing (gitprotocol-common): four hex digits give the length of the line
 * including themselves; 0000 is a flush, 0001 a delimiter and 0002 a response end
 * (protocol v2). Lines are handed out as views into the buffer, never copied.
 */
export type PktLine =
  { kind: 'data'; start: number; end: number } | { kind: 'flush' | 'delim' | 'response-end' };

const FLUSH: PktLine = { kind: 'flush' };
const DELIM: PktLine = { kind: 'delim' };
const RESPONSE_END: PktLine = { kind: 'response-end' };
const LF = 0x0a;

/** The pkt-lines of `body`, in order; a data line's range leaves out its trailing LF. */
export function* pktLines(body: Uint8Array, where: string): Generator<PktLine> {
  let offset = 0;
  while (offset < body.length) {
    if (offset + 4 > body.length) throw truncated(where, offset);
    const length = hexLength(body, offset, where);
    if (length === 0) yield FLUSH;
    else if (length === 1) yield DELIM;
    else if (length === 2) yield RESPONSE_END;
    else if (length < 4) throw malformed(where, offset, `length ${length} is reserved`);
    if (length < 4) {
      offset += 4;
      continue;
    }
    const end = offset + length;
    if (end > body.length) throw truncated(where, offset);
    yield { kind: 'data', start: offset + 4, end: body[end - 1] === LF ? end - 1 : end };
    offset = end;
  }
}

function hexLength(body: Uint8Array, offset: number, where: string): number {
  let length = 0;
  for (let i = offset; i < offset + 4; i++) {
    const c = body[i];
    const digit =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x66
          ? c - 0x57
          : c >= 0x41 && c <= 0x46
            ? c - 0x37
            : -1;
    if (digit < 0) throw malformed(where, offset, 'the length is not four hex digits');
    length = length * 16 + digit;
  }
  return length;
}

function truncated(where: string, offset: number): GitError {
  return malformed(where, offset, 'the answer ends inside a line');
}

function malformed(where: string, offset: number, why: string): GitError {
  return new GitError(
    'GitOperationFailed',
    `${where} sent a malformed ref advertisement (byte ${offset}: ${why}): is it a git smart-HTTP server?`,
  );
}
