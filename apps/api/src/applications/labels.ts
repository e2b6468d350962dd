import { z } from 'zod';

/**
 * Kubernetes label syntax, for metadata.labels of an application and for label selectors:
 * a key is an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters;
 * a value is empty or a name.
 */
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is no label key, or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && !(prefix.length <= 253 && SUBDOMAIN.test(prefix))) {
    return `label key ${JSON.stringify(key)}: its prefix must be a DNS subdomain, e.g. example.com`;
  }
  if (!(name.length <= 63 && NAME.test(name))) {
    return `label key ${JSON.stringify(key)} must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, after an optional prefix/`;
  }
  return undefined;
}

/** Why `value` is no label value, or undefined when it is one. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && NAME.test(value))) return undefined;
  return `label value ${JSON.stringify(value)} must be empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}

/** metadata.labels: what label selectors (GET ?selector=, bulk sync and refresh) match. */
export const Labels = z.record(z.string(), z.string()).superRefine((labels, context) => {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) context.addIssue({ code: 'custom', path: [key], message: problem });
  }
});
export type Labels = z.infer<typeof Labels>;
