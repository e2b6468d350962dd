import {
  containsField,
  type FieldSet,
  fieldsOwnedBy,
  type ManagedObject,
  unionOf,
} from './field-set';
import { isUnderPointer, type IgnoreRules, withoutPointer } from './ignore-differences';
import { jsonEqual } from './json-value';
import { type OwnedField, ownedFields, projectOnto } from './owned-fields';

/** The field manager Cairn applies as. */
export const CAIRN_MANAGER = 'cairn';

/** One field that differs; `path` is empty for the whole object (one side is missing). */
export interface FieldDifference {
  path: string;
  /** Absent: the field (or object) is not in the cluster. */
  live?: unknown;
  /** Absent: the field (or object) is not declared. */
  desired?: unknown;
}

export interface DiffOptions {
  /** Whose fields count: Cairn's, unless told otherwise. */
  manager?: string;
  ignore?: Partial<IgnoreRules>;
}

/**
 * Compares what a manager declared with what is live, with server-side apply semantics:
 * `desired` is an object as the API server returned it for that manager's apply (its
 * result, or a dry run's), so its managed fields say exactly which fields were declared,
 * and its values are already defaulted and normalised as the live ones are. Only those
 * fields are compared: defaulted fields, status, and whatever other managers added
 * (labels, annotations, a sidecar, replicas of a manifest that declares none) never count.
 * A declared field that another manager changed does count: that is drift.
 */
export function diffObjects(
  desired: ManagedObject | undefined,
  live: ManagedObject | undefined,
  options: DiffOptions = {},
): FieldDifference[] {
  const manager = options.manager ?? CAIRN_MANAGER;
  if (!desired && !live) return [];
  if (!desired) return [{ path: '', live: withoutBookkeeping(live) }];
  const declared = declaredFields(desired, manager);
  if (!live) return [{ path: '', desired: projectOnto(declared, desired) }];

  const ignoredOwners = (options.ignore?.managedFieldsManagers ?? []).reduce<FieldSet>(
    (set, other) => unionOf(set, fieldsOwnedBy(live, other)),
    {},
  );
  const pointers = options.ignore?.jsonPointers ?? [];
  const want = ownedFields(declared, desired);
  const have = ownedFields(declared, live);
  const differences: FieldDifference[] = [];
  let skipUnder: string[] | undefined;
  want.forEach((wanted, i) => {
    const found = have[i];
    if (skipUnder && startsWith(wanted.keys, skipUnder)) return;
    skipUnder = undefined;
    if (containsField(ignoredOwners, wanted.keys)) return;
    if (pointers.some((p) => isUnderPointer(wanted.pointer, p) || isUnderPointer(found.pointer, p)))
      return;
    if (wanted.kind === 'presence') {
      if ((wanted.value === undefined) === (found.value === undefined)) return;
      // An item added or removed whole: one difference for it, not one per field.
      const node = nodeAt(declared, wanted.keys);
      differences.push(
        difference(wanted.path, projectOnto(node, found.value), projectOnto(node, wanted.value)),
      );
      skipUnder = wanted.keys;
      return;
    }
    const [a, b] = withoutIgnoredInside(wanted, found, pointers);
    if (!jsonEqual(a, b)) differences.push(difference(wanted.path, found.value, wanted.value));
  });
  return differences;
}

/**
 * The fields the manager declared. A Secret's `stringData` is write-only: the API server
 * stores it under `data`, so the ownership of `stringData.x` is read as that of `data.x`.
 */
export function declaredFields(object: ManagedObject, manager = CAIRN_MANAGER): FieldSet {
  const owned = fieldsOwnedBy(object, manager);
  if (object.kind !== 'Secret' || object.apiVersion !== 'v1' || !owned['f:stringData'])
    return owned;
  const { 'f:stringData': stringData, ...rest } = owned;
  return unionOf(rest, { 'f:data': stringData });
}

/** Kept by the API server for itself: shown in no diff. */
const BOOKKEEPING = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp'];

/** The object without status and the API server's bookkeeping: for showing, not comparing. */
export function withoutBookkeeping(object: ManagedObject | undefined): ManagedObject | undefined {
  if (!object) return undefined;
  const shown: ManagedObject = { ...object, metadata: { ...object.metadata } };
  delete shown.status;
  for (const key of BOOKKEEPING) delete shown.metadata?.[key];
  return shown;
}

function difference(path: string, live: unknown, desired: unknown): FieldDifference {
  const entry: FieldDifference = { path: path.replace(/^\./, '') };
  if (live !== undefined) entry.live = live;
  if (desired !== undefined) entry.desired = desired;
  return entry;
}

/** An ignored pointer inside a compared value (a key of an atomic map) is left out of both. */
function withoutIgnoredInside(wanted: OwnedField, found: OwnedField, pointers: readonly string[]) {
  let [a, b] = [wanted.value, found.value];
  for (const pointer of pointers) {
    if (wanted.pointer !== undefined && pointer.startsWith(`${wanted.pointer}/`))
      a = withoutPointer(a, pointer.slice(wanted.pointer.length));
    if (found.pointer !== undefined && pointer.startsWith(`${found.pointer}/`))
      b = withoutPointer(b, pointer.slice(found.pointer.length));
  }
  return [a, b];
}

function nodeAt(set: FieldSet, keys: readonly string[]): FieldSet {
  return keys.reduce((node, key) => node[key] ?? {}, set);
}

function startsWith(keys: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= keys.length && prefix.every((key, i) => keys[i] === key);
}
