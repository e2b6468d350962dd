import { existsSync, readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The requests a local cluster's audited user (`cairn`) made over a window, from the API
 * server's audit log (JSON lines, Metadata level, stages ResponseStarted and ResponseComplete).
 * A request counts once, in the window its request was received in; a watch opened before the
 * window and still open is not a request of the window.
 */
export interface AuditCount {
  total: number;
  /** `verb resource`, e.g. `watch deployments`, `patch configmaps`. */
  byRequest: Map<string, number>;
}

interface AuditEvent {
  auditID: string;
  verb: string;
  objectRef?: { resource?: string; subresource?: string };
  requestURI: string;
  requestReceivedTimestamp: string;
}

export class AuditWindow {
  private constructor(
    private readonly path: string,
    private readonly offset: number,
    private readonly from: number,
  ) {}

  /** Starts a window now: what the log holds so far is not read again. */
  static open(path: string): AuditWindow {
    return new AuditWindow(path, existsSync(path) ? statSync(path).size : 0, Date.now());
  }

  async close(): Promise<AuditCount> {
    const to = Date.now();
    const size = existsSync(this.path) ? statSync(this.path).size : 0;
    // Rotated in the window (100 MB): the rest of the old file, then all of the new one.
    const chunks =
      size < this.offset
        ? [await readFrom(rotatedFile(this.path), this.offset), await readFrom(this.path, 0)]
        : [await readFrom(this.path, this.offset)];
    const seen = new Set<string>();
    const byRequest = new Map<string, number>();
    for (const line of chunks.join('').split('\n')) {
      if (!line) continue;
      const event = JSON.parse(line) as AuditEvent;
      const received = Date.parse(event.requestReceivedTimestamp);
      if (seen.has(event.auditID) || received < this.from || received > to) continue;
      seen.add(event.auditID);
      const resource = event.objectRef?.resource
        ? `${event.objectRef.resource}${event.objectRef.subresource ? `/${event.objectRef.subresource}` : ''}`
        : event.requestURI.split('?')[0];
      const key = `${event.verb} ${resource}`;
      byRequest.set(key, (byRequest.get(key) ?? 0) + 1);
    }
    return { total: seen.size, byRequest };
  }
}

async function readFrom(path: string | undefined, offset: number): Promise<string> {
  if (!path || !existsSync(path)) return '';
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    await file.read(buffer, 0, buffer.length, offset);
    // A line being written as the window closed is left out, not half-parsed.
    const text = buffer.toString('utf8');
    return text.slice(0, text.lastIndexOf('\n') + 1);
  } finally {
    await file.close();
  }
}

/** kube-apiserver renames a full log to audit-<timestamp>.log beside it; the newest one. */
function rotatedFile(path: string): string | undefined {
  const stem = basename(path, '.log');
  return readdirSync(dirname(path))
    .filter((name) => name.startsWith(`${stem}-`) && name.endsWith('.log'))
    .sort()
    .map((name) => join(dirname(path), name))
    .at(-1);
}

/** `N requests: verb resource n, ...`, the most frequent first. */
export function describeRequests(count: AuditCount, top = Infinity): string {
  const requests = [...count.byRequest.entries()].sort((a, b) => b[1] - a[1]);
  const shown = requests.slice(0, top).map(([request, n]) => `${request} ${n}`);
  if (requests.length > top) shown.push('...');
  return `${count.total} requests${shown.length ? `: ${shown.join(', ')}` : ''}`;
}
