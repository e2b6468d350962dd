import { describe, expect, it } from 'vitest';
import { ClusterConnection, type ConnectionState, isConnectionError } from './cluster-connection';
import { KubeApiError } from './kube-api-error';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });

/** A server whose readiness answers are set by the test; counts how often it is asked. */
function server() {
  const s = {
    up: true,
    asked: 0,
    probe: async () => {
      s.asked++;
      if (!s.up) throw refused();
    },
  };
  return s;
}

function followed(connection: ClusterConnection) {
  const seen: ConnectionState[] = [];
  connection.onChange((state) => seen.push(state));
  return seen;
}

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 2_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('isConnectionError', () => {
  it('is true for requests that got no answer, also when wrapped', () => {
    expect(isConnectionError(refused())).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toBe(true);
    expect(isConnectionError(new Error('sync failed', { cause: refused() }))).toBe(true);
  });

  it('is false for answers, however bad', () => {
    expect(isConnectionError(new KubeApiError(503, 'the server is currently unable'))).toBe(false);
    expect(isConnectionError(new Error('self-signed certificate'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});

describe('ClusterConnection', () => {
  it('takes a request without an answer for an outage only when the server does not answer its probe', async () => {
    const api = server();
    const connection = new ClusterConnection('https://127.0.0.1:6443', api.probe);
    const seen = followed(connection);

    connection.noteUnanswered(); // a kept-alive socket the server closed: it answers the probe
    await until(() => api.asked === 1);
    await connection.check();

    expect(connection.reachable).toBe(true);
    expect(seen).toEqual([]);
    connection.stop();
  });

  it('tells one transition per outage, however many requests fail, and probes until the server is back', async () => {
    const api = server();
    const connection = new ClusterConnection('https://127.0.0.1:6443', api.probe, {
      probeIntervalMs: 10,
    });
    const seen = followed(connection);
    api.up = false;

    for (let i = 0; i < 5; i++) connection.noteUnanswered();
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual({
      reachable: false,
      since: expect.any(String),
      message: 'API server https://127.0.0.1:6443 unreachable: connect ECONNREFUSED 127.0.0.1:6443',
    });
    await until(() => api.asked >= 4); // probed on its own while down
    expect(seen).toHaveLength(1);

    const back = connection.whenReachable(new AbortController().signal);
    api.up = true;
    expect(await back).toBe(true);
    expect(seen.map((s) => s.reachable)).toEqual([false, true]);
    const asked = api.asked;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.asked).toBe(asked); // no probing once it is back
    connection.stop();
  });

  it('lets a wait for the server be called off', async () => {
    const api = server();
    api.up = false;
    const connection = new ClusterConnection('https://127.0.0.1:6443', api.probe, {
      probeIntervalMs: 10_000,
    });
    expect(await connection.check()).toBe(false);
    const stopping = new AbortController();
    const waiting = connection.whenReachable(stopping.signal);
    stopping.abort();
    expect(await waiting).toBe(false);
    connection.stop();
  });
});
