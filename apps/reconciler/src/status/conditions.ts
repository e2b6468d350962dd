import type { AppCondition } from '@cairn/contracts';
import { truncate } from './event-log';

type ConditionType = AppCondition['type'];

/** Sets a condition, keeping its transition time when nothing about it changed. */
export function setCondition(
  conditions: readonly AppCondition[],
  type: ConditionType,
  message: string,
): AppCondition[] {
  const text = truncate(message, 4096);
  const existing = conditions.find((c) => c.type === type);
  if (existing?.message === text) return [...conditions];
  return [
    ...conditions.filter((c) => c.type !== type),
    { type, message: text, lastTransitionTime: new Date().toISOString() },
  ];
}

export function clearConditions(
  conditions: readonly AppCondition[],
  ...types: ConditionType[]
): AppCondition[] {
  return conditions.filter((c) => !types.includes(c.type));
}
