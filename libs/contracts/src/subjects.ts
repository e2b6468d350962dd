import { assertDnsLabel, isDnsLabel } from './names';

/**
 * NATS subjects, one family per message topic: `<root>.<topic>.<cluster>.<app>`. The root
 * is `cairn` in production; tests give each run its own root so runs never see each
 * other's messages.
 */

export const SUBJECT_TOPICS = ['desired', 'cmd', 'status', 'events'] as const;
export type SubjectTopic = (typeof SUBJECT_TOPICS)[number];

export const DEFAULT_SUBJECT_ROOT = 'cairn';

/**
 * Stands for "no cluster" or "no application" in an events subject. Not a DNS label, so it
 * never names a real one, and `<root>.events.<cluster>.*` or `<root>.events.*.*` still match.
 */
export const NO_NAME = '_';

/** One or more dot-separated tokens of letters, digits, `_` or `-`: no wildcards. */
const ROOT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export interface SubjectAddress {
  topic: SubjectTopic;
  cluster: string;
  app: string;
}

export class Subjects {
  constructor(readonly root: string = DEFAULT_SUBJECT_ROOT) {
    if (!ROOT.test(root)) {
      throw new Error(
        `subject root ${JSON.stringify(root)} must be dot-separated tokens of letters, digits, '_' or '-'`,
      );
    }
  }

  desired(cluster: string, app: string): string {
    return this.build('desired', cluster, app);
  }

  command(cluster: string, app: string): string {
    return this.build('cmd', cluster, app);
  }

  status(cluster: string, app: string): string {
    return this.build('status', cluster, app);
  }

  events(cluster: string, app: string): string {
    return this.build('events', cluster, app);
  }

  /**
   * Where a registration change is told, on the events stream: an application's among its
   * own events, a cluster's as `<root>.events.<cluster>._`, a repository's (of no cluster
   * and no app) as `<root>.events._._`.
   */
  registrationEvents(cluster?: string, app?: string): string {
    if (app !== undefined && cluster === undefined) {
      throw new Error(`application ${JSON.stringify(app)} has no cluster to address it by`);
    }
    if (cluster !== undefined) assertDnsLabel('cluster name', cluster);
    if (app !== undefined) assertDnsLabel('application name', app);
    return `${this.root}.events.${cluster ?? NO_NAME}.${app ?? NO_NAME}`;
  }

  /** Every subject of a topic, or of one cluster in it: what a consumer filters on. */
  filter(topic: SubjectTopic, cluster?: string): string {
    if (cluster === undefined) return `${this.root}.${topic}.>`;
    assertDnsLabel('cluster name', cluster);
    return `${this.root}.${topic}.${cluster}.*`;
  }

  /** The topic, cluster and app a subject addresses, or undefined if it is not one of ours. */
  parse(subject: string): SubjectAddress | undefined {
    if (!subject.startsWith(`${this.root}.`)) return undefined;
    const tokens = subject.slice(this.root.length + 1).split('.');
    if (tokens.length !== 3) return undefined;
    const [topic, cluster, app] = tokens;
    if (!SUBJECT_TOPICS.includes(topic as SubjectTopic)) return undefined;
    if (!isDnsLabel(cluster) || !isDnsLabel(app)) return undefined;
    return { topic: topic as SubjectTopic, cluster, app };
  }

  private build(topic: SubjectTopic, cluster: string, app: string): string {
    assertDnsLabel('cluster name', cluster);
    assertDnsLabel('application name', app);
    return `${this.root}.${topic}.${cluster}.${app}`;
  }
}

/** Subjects under the production root, `cairn`. */
export const subjects = new Subjects();
