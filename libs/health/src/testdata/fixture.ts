import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { assessHealth } from '../assess-health';
import { HealthAssessment } from '../health-status';
import { KubeObject } from '../kube-object';

/** One object from this folder, as plain JSON: the shape a watch hands to the assessor. */
export function fixture(file: string): KubeObject {
  return parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as KubeObject;
}

export function healthOf(file: string): HealthAssessment {
  return assessHealth(fixture(file));
}
