/**
 * An app's `ignoreDifferences` entry, in Argo CD's shape: which objects (group, kind, and
 * optionally name and namespace; `*` matches any group or kind) and what of them never
 * counts as a difference: JSON pointers, and fields owned by the named field managers.
 */
export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: readonly string[];
  managedFieldsManagers?: readonly string[];
}

/** What to ignore for one object: every matching entry, merged. */
export interface IgnoreRules {
  jsonPointers: string[];
  managedFieldsManagers: string[];
}

export interface ObjectIdentity {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function ignoreRulesFor(
  entries: readonly IgnoreDifference[] | undefined,
  object: ObjectIdentity,
): IgnoreRules {
  const rules: IgnoreRules = { jsonPointers: [], managedFieldsManagers: [] };
  for (const entry of entries ?? []) {
    if (!matches(entry, object)) continue;
    rules.jsonPointers.push(...(entry.jsonPointers ?? []));
    rules.managedFieldsManagers.push(...(entry.managedFieldsManagers ?? []));
  }
  return rules;
}

function matches(entry: IgnoreDifference, object: ObjectIdentity): boolean {
  const group = entry.group ?? '';
  return (
    (group === '*' || group === object.group) &&
    (entry.kind === '*' || entry.kind === object.kind) &&
    (entry.name === undefined || entry.name === object.name) &&
    (entry.namespace === undefined || entry.namespace === (object.namespace ?? ''))
  );
}

/** Whether the pointer is the ignored one or lies under it. */
export function isUnderPointer(pointer: string | undefined, ignored: string): boolean {
  if (pointer === undefined) return false;
  return pointer === ignored || pointer.startsWith(ignored.endsWith('/') ? ignored : `${ignored}/`);
}

/** The value with what the pointer (relative to it, e.g. `/matchLabels/app`) names removed. */
export function withoutPointer(value: unknown, relative: string): unknown {
  return withoutPath(value, relative.split('/').slice(1).map(unescapePointer));
}

function withoutPath(value: unknown, tokens: readonly string[]): unknown {
  const [head, ...rest] = tokens;
  if (head === undefined || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const index = Number(head);
    if (!Number.isInteger(index) || index >= value.length) return value;
    return rest.length === 0
      ? value.filter((_, i) => i !== index)
      : value.map((item, i) => (i === index ? withoutPath(item, rest) : item));
  }
  const { [head]: inner, ...others } = value as Record<string, unknown>;
  if (inner === undefined) return value;
  return rest.length === 0 ? others : { ...others, [head]: withoutPath(inner, rest) };
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
