import { isJsonObject, type JsonObject } from './json-value';

/**
 * A set of fields in the API server's `fieldsV1` form, as found in `metadata.managedFields`:
 * `f:<name>` a field, `k:<json>` a list item by its keys, `v:<json>` a set item by value,
 * `i:<n>` a list item by index, `.` the item or map itself. `{}` marks a leaf.
 */
export interface FieldSet {
  [key: string]: FieldSet;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
}

/** What the diff needs of an object: raw JSON with its managed fields. */
export interface ManagedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    managedFields?: ManagedFieldsEntry[];
  } & JsonObject;
  [field: string]: unknown;
}

/**
 * The fields one manager owns in an object (the union of its entries: one per operation and
 * subresource). `operation` narrows to Apply or Update entries. Empty when it owns nothing.
 */
export function fieldsOwnedBy(
  object: ManagedObject,
  manager: string,
  operation?: 'Apply' | 'Update',
): FieldSet {
  const entries = object.metadata?.managedFields ?? [];
  let owned: FieldSet = {};
  for (const entry of entries) {
    if (entry.manager !== manager || (operation && entry.operation !== operation)) continue;
    if (entry.fieldsType && entry.fieldsType !== 'FieldsV1') continue;
    if (isJsonObject(entry.fieldsV1)) owned = unionOf(owned, entry.fieldsV1);
  }
  return owned;
}

/** Whether a manager has any entry at all in the object. */
export function hasManager(object: ManagedObject, manager: string): boolean {
  return (object.metadata?.managedFields ?? []).some((entry) => entry.manager === manager);
}

export function unionOf(a: FieldSet, b: FieldSet): FieldSet {
  const union: FieldSet = { ...a };
  for (const [key, node] of Object.entries(b)) union[key] = key in a ? unionOf(a[key], node) : node;
  return union;
}

/**
 * Whether the set holds the field reached by `keys` (a path of fieldsV1 keys), or a leaf
 * above it: owning `f:selector` atomically means owning everything under it.
 */
export function containsField(set: FieldSet, keys: readonly string[]): boolean {
  let node = set;
  for (const key of keys) {
    const child = node[key];
    if (!child) return false;
    if (Object.keys(child).length === 0) return true;
    node = child;
  }
  return true;
}
