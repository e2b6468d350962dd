import { readFileSync } from 'node:fs';
import { Subjects } from '@cairn/contracts';
import { z } from 'zod';
import { env } from './environment-variables';
import { ConfigProblem } from './service-config';

/**
 * How every Cairn service reaches NATS: the servers, the root of every subject, stream and
 * bucket, and who it is there. Spread `natsVariables()` into a service's variables and map
 * them with `natsSettings`, so that every service reads the same names the same way.
 */

/** Who a service is to the NATS server; absent when the server asks nobody. */
export interface NatsAuthSettings {
  /**
   * A NATS credentials file (user JWT and NKey seed, from `nsc generate creds`); read again
   * at every connection, so a rotated file is picked up on the next reconnect.
   */
  credentialsFile?: string;
  user?: string;
  password?: string;
  token?: string;
}

export interface NatsSettings {
  servers: string[];
  /** Root of every subject, stream and bucket (`new Topology(prefix)`). */
  prefix: string;
  /** Holds secrets: its `password` and `token` are redacted from logs, never log it otherwise. */
  auth?: NatsAuthSettings;
}

export function natsVariables() {
  return {
    CAIRN_NATS_URL: env.natsServers(),
    CAIRN_NATS_PREFIX: natsPrefixVariable(),
    CAIRN_NATS_CREDENTIALS_FILE: env.optionalPath(),
    CAIRN_NATS_USER: env.optionalName('a NATS user name', (t) => !/\s/.test(t)),
    CAIRN_NATS_PASSWORD: env.optionalSecret(),
    CAIRN_NATS_TOKEN: env.optionalSecret(),
  };
}

type NatsVariables = z.output<z.ZodObject<ReturnType<typeof natsVariables>>>;

/** The parsed variables as settings; throws a ConfigProblem when they do not go together. */
export function natsSettings(vars: NatsVariables): NatsSettings {
  const {
    CAIRN_NATS_CREDENTIALS_FILE: credentialsFile,
    CAIRN_NATS_USER: user,
    CAIRN_NATS_PASSWORD: password,
    CAIRN_NATS_TOKEN: token,
  } = vars;
  const problems: string[] = [];
  if (password !== undefined && user === undefined)
    problems.push('CAIRN_NATS_USER: expected with CAIRN_NATS_PASSWORD, it is not set');
  if (user !== undefined && password === undefined)
    problems.push('CAIRN_NATS_PASSWORD: expected with CAIRN_NATS_USER, it is not set');
  const ways = [
    credentialsFile !== undefined && 'CAIRN_NATS_CREDENTIALS_FILE',
    user !== undefined && 'CAIRN_NATS_USER',
    token !== undefined && 'CAIRN_NATS_TOKEN',
  ].filter((way): way is string => way !== false);
  if (ways.length > 1)
    problems.push(`${ways[1]}: set one way to authenticate to NATS, not ${ways.join(' and ')}`);
  if (credentialsFile !== undefined) {
    const problem = credentialsFileProblem(credentialsFile);
    if (problem) problems.push(`CAIRN_NATS_CREDENTIALS_FILE: ${problem}`);
  }
  if (problems.length > 0) throw new ConfigProblem(...problems);
  const auth: NatsAuthSettings | undefined =
    ways.length === 0
      ? undefined
      : credentialsFile !== undefined
        ? { credentialsFile }
        : token !== undefined
          ? { token }
          : { user, password };
  return {
    servers: vars.CAIRN_NATS_URL,
    prefix: vars.CAIRN_NATS_PREFIX,
    ...(auth && { auth }),
  };
}

/** CAIRN_NATS_PREFIX: the Topology root of every subject, stream and bucket; "cairn" by default. */
function natsPrefixVariable() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const text = raw?.trim() || 'cairn';
      try {
        return new Subjects(text).root;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `expected dot-separated tokens of letters, digits, '_' or '-', got ${JSON.stringify(text)}`,
        });
        return z.NEVER;
      }
    });
}

/** Read once at start so that a wrong path fails now, not on every reconnect; never quoted. */
function credentialsFileProblem(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return `cannot read ${JSON.stringify(path)} (${code})`;
  }
  if (!/-----BEGIN NATS USER JWT-----/.test(text) || !/-----BEGIN USER NKEY SEED-----/.test(text))
    return `${JSON.stringify(path)} is not a NATS credentials file: expected a user JWT and an NKey seed (nsc generate creds)`;
  return undefined;
}
