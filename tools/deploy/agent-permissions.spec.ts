/**
 * k8s/agent/nats-permissions.conf tells operators what NATS user to give an agent; it must
 * say exactly what the agent needs (agentNatsPermissions, which the agent-mode e2e test runs
 * an agent with), for the example cluster and prefix it names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@cairn/cluster';
import { agentNatsPermissions, Topology } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';

const conf = readFileSync(join(workspaceRoot(), 'k8s', 'agent', 'nats-permissions.conf'), 'utf8');

/** The quoted subjects of `<section>: { allow: [ ... ] }`. */
function allowed(section: 'publish' | 'subscribe'): string[] {
  const block = new RegExp(`${section}: \\{\\s*allow: \\[([^\\]]*)\\]`).exec(conf)?.[1];
  if (block === undefined) throw new Error(`no ${section} allow list in nats-permissions.conf`);
  return [...block.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
}

describe('k8s/agent/nats-permissions.conf', () => {
  const wanted = agentNatsPermissions(new Topology('cairn'), 'prod-eu');

  it('allows the agent of prod-eu exactly what agentNatsPermissions gives it', () => {
    expect(allowed('publish')).toEqual(wanted.publish);
    expect(allowed('subscribe')).toEqual(wanted.subscribe);
    expect(conf).toMatch(/^\s*allow_responses: true$/m);
    expect(conf).toMatch(/^\s*user: agent-prod-eu$/m);
  });

  it("names no other cluster's subjects", () => {
    for (const subject of [...wanted.publish, ...wanted.subscribe])
      expect(subject.includes('prod-eu') || !/\.(desired|cmd|status|events)\./.test(subject)).toBe(
        true,
      );
  });
});
