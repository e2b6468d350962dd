import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Parsers for single environment variables, for use in a service's configuration. An unset
 * or empty variable takes the default (empty counts as unset because compose files and
 * Kubernetes manifests often write `NAME=` to mean "not set"). A bad value becomes an issue
 * reading `expected <what>, got "<value>"`; the configuration loader prefixes it with the
 * variable's name.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Returns the parsed value, or undefined when the text is not acceptable. */
type Parse<T> = (text: string) => T | undefined;

function variable<T>(expected: string, parse: Parse<T>, fallback: T | undefined, shown = quote) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const text = raw?.trim() ?? '';
      const value = text === '' ? fallback : parse(text);
      if (value !== undefined) return value;
      const got = text === '' ? 'it is not set' : `got ${shown(raw ?? '')}`;
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, ${got}` });
      return z.NEVER;
    });
}

/** Like `variable`, but unset (or empty) is a valid answer: undefined. */
function optionalVariable<T>(expected: string, parse: Parse<T>, shown = quote) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      const text = raw?.trim() ?? '';
      if (text === '') return undefined;
      const value = parse(text);
      if (value !== undefined) return value;
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${shown(raw ?? '')}` });
      return z.NEVER;
    });
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** URLs may carry a password (postgres://user:pass@host); an error message must not. */
function quoteWithoutPassword(text: string): string {
  return quote(text.replace(/(\/\/[^/@:\s]*:)[^@/\s]*@/g, '$1***@'));
}

function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

function parseUrl(text: string, protocols: readonly string[]): string | undefined {
  try {
    return protocols.includes(new URL(text).protocol) ? text : undefined;
  } catch {
    return undefined;
  }
}

function describeUrl(protocols: readonly string[]): string {
  return `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
}

export const env = {
  port: (fallback?: number) =>
    variable('a port number 1-65535', (t) => parseInteger(t, 1, 65535), fallback),

  host: (fallback?: string) =>
    variable(
      'a host name or IP address to listen on',
      (t) => (/^[A-Za-z0-9.:[\]-]+$/.test(t) ? t : undefined),
      fallback,
    ),

  /** A whole number in [min, max], e.g. an interval in seconds. */
  integer: (fallback: number | undefined, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}) =>
    variable(
      max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${min}` : `a whole number ${min}-${max}`,
      (t) => parseInteger(t, min, max),
      fallback,
    ),

  url: (fallback: string | undefined, protocols: readonly string[]) =>
    variable(describeUrl(protocols), (t) => parseUrl(t, protocols), fallback, quoteWithoutPassword),

  /** Comma-separated URLs, as NATS clients take a list of seed servers. */
  urls: (fallback: string[] | undefined, protocols: readonly string[]) =>
    variable(
      `comma-separated URLs, each starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      (t) => {
        const urls = t.split(',').map((part) => part.trim());
        return urls.every((url) => parseUrl(url, protocols)) ? urls : undefined;
      },
      fallback,
      quoteWithoutPassword,
    ),

  /** NATS seed servers; every service takes them from CAIRN_NATS_URL. */
  natsServers: (fallback = 'nats://127.0.0.1:4222') =>
    env.urls([fallback], ['nats:', 'tls:', 'ws:', 'wss:']),

  /** A filesystem path, made absolute against the working directory at startup. */
  path: (fallback?: string) =>
    variable(
      'a filesystem path',
      (t) => resolve(t),
      fallback === undefined ? undefined : resolve(fallback),
    ),

  /** A filesystem path that may be left unset. */
  optionalPath: () => optionalVariable('a filesystem path', (t) => resolve(t)),

  /** One name checked by `accepts` (e.g. a DNS-1123 label), or unset. */
  optionalName: (what: string, accepts: (text: string) => boolean) =>
    optionalVariable(what, (t) => (accepts(t) ? t : undefined)),

  /**
   * A secret (a password, a token): any non-empty text, or unset. Whatever is wrong with it
   * is never quoted back.
   */
  optionalSecret: () =>
    z
      .string()
      .optional()
      // A secret mounted from a file often ends with a newline that is not part of it.
      .transform((raw) =>
        raw === undefined || raw.trim() === '' ? undefined : raw.replace(/\r?\n$/, ''),
      ),

  /** Comma-separated items, each checked by `accepts`; unset means an empty list. */
  list: (item: string, accepts: (text: string) => boolean) =>
    variable(
      `a comma-separated list of ${item}`,
      (t) => {
        const items = t.split(',').map((part) => part.trim());
        return items.every(accepts) ? [...new Set(items)] : undefined;
      },
      [] as string[],
    ),

  logLevel: (fallback: LogLevel = 'info') =>
    variable(
      `one of ${LOG_LEVELS.join(', ')}`,
      (t) => LOG_LEVELS.find((level) => level === t.toLowerCase()),
      fallback,
    ),
};
