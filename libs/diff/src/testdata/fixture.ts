import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ManagedObject } from '../field-set';

/**
 * One object from this folder, as plain JSON. Each was captured from a real kube-apiserver:
 * `*-applied` is the response to Cairn's server-side apply (what the reconciler keeps),
 * the others the live object after another manager's edit, or a dry run's result.
 */
export function fixture(file: string): ManagedObject {
  return parse(readFileSync(new URL(`${file}.yaml`, import.meta.url), 'utf8')) as ManagedObject;
}
