import type { FieldSet } from './field-set';
import { isJsonObject, jsonEqual } from './json-value';

/** One field of a field set, as found in one object. */
export interface OwnedField {
  /** The fieldsV1 keys leading to it: the same in every object the set is walked over. */
  keys: string[];
  /** For people: `spec.template.spec.containers[name=web].image`. */
  path: string;
  /** Where it is in this object (RFC 6901), list indices resolved; undefined if not there. */
  pointer?: string;
  /** Its value in this object; undefined when absent. */
  value: unknown;
  /**
   * `presence`: what is owned is that the list item (or map) exists; its own fields follow
   * it in the walk. `value`: what is owned is the value, whole (scalars, atomic lists).
   */
  kind: 'presence' | 'value';
}

/**
 * Every field of the set, in a fixed order that depends on the set alone (absent fields
 * included, with an undefined value), so walking one set over two objects yields two lists
 * that line up index by index.
 */
export function ownedFields(set: FieldSet, object: unknown): OwnedField[] {
  const out: OwnedField[] = [];
  walk(set, object, [], '', '', out);
  return out;
}

function walk(
  node: FieldSet,
  value: unknown,
  keys: string[],
  path: string,
  pointer: string | undefined,
  out: OwnedField[],
): void {
  for (const [key, child] of Object.entries(node)) {
    if (key === '.') continue;
    const step = stepInto(key, value);
    const children = Object.keys(child).filter((k) => k !== '.');
    const field: OwnedField = {
      keys: [...keys, key],
      path: path + step.path,
      pointer:
        pointer === undefined || step.pointer === undefined ? undefined : pointer + step.pointer,
      value: step.value,
      // An item is owned for being there; `{".": {}}` is a map owned for being there.
      kind: step.item || (children.length === 0 && '.' in child) ? 'presence' : 'value',
    };
    // A field with fields of its own is only a way to them: nothing to compare on it.
    if (step.item || children.length === 0) out.push(field);
    if (children.length > 0) walk(child, step.value, field.keys, field.path, field.pointer, out);
  }
}

interface Step {
  value: unknown;
  path: string;
  pointer?: string;
  item: boolean;
}

function stepInto(key: string, value: unknown): Step {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  if (kind === 'f:') {
    const child = isJsonObject(value) ? value[rest] : undefined;
    const path = /^[A-Za-z_$][\w$-]*$/.test(rest) ? `.${rest}` : `[${JSON.stringify(rest)}]`;
    return { value: child, path, pointer: `/${escapePointer(rest)}`, item: false };
  }
  const list = Array.isArray(value) ? value : [];
  if (kind === 'k:') {
    const fields = JSON.parse(rest) as Record<string, unknown>;
    const index = list.findIndex(
      (item) =>
        isJsonObject(item) && Object.entries(fields).every(([k, v]) => jsonEqual(item[k], v)),
    );
    const label = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(',');
    return itemStep(list, index, `[${label}]`);
  }
  if (kind === 'v:') {
    const wanted = JSON.parse(rest) as unknown;
    const index = list.findIndex((item) => jsonEqual(item, wanted));
    return itemStep(list, index, `[value=${typeof wanted === 'string' ? wanted : rest}]`);
  }
  if (kind === 'i:') {
    const index = Number(rest);
    return itemStep(list, index < list.length ? index : -1, `[${index}]`);
  }
  throw new Error(`unknown key "${key}" in a managed field set`);
}

function itemStep(list: unknown[], index: number, path: string): Step {
  return index === -1
    ? { value: undefined, path, item: true }
    : { value: list[index], path, pointer: `/${index}`, item: true };
}

/** The value restricted to the fields of the set: what a manager declared of it. */
export function projectOnto(node: FieldSet, value: unknown): unknown {
  const children = Object.keys(node).filter((k) => k !== '.');
  if (value === undefined || children.length === 0) return value;
  if (Array.isArray(value)) {
    return children
      .map((key) => ({ key, step: stepInto(key, value) }))
      .filter(({ step }) => step.value !== undefined)
      .map(({ key, step }) => projectOnto(node[key], step.value));
  }
  if (!isJsonObject(value)) return value;
  const projected: Record<string, unknown> = {};
  for (const key of children) {
    const step = stepInto(key, value);
    if (step.value !== undefined) projected[key.slice(2)] = projectOnto(node[key], step.value);
  }
  return projected;
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
