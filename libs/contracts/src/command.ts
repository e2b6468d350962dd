import { z } from 'zod';
import { SchemaVersion1, Timestamp } from './codec';
import { BundleDigest, Revision } from './desired-state';
import { AppName } from './names';

export const COMMAND_OPS = ['sync', 'rollback', 'refresh', 'delete'] as const;
export type CommandOp = (typeof COMMAND_OPS)[number];

const commandFields = {
  v: SchemaVersion1,
  /** Unique per request; a redelivered command with a known id is not run twice. */
  id: z.string().min(1).max(128),
  app: AppName,
  /** Who asked, for history and audit: a user name, or "automated". */
  initiatedBy: z.string().min(1).max(256),
  requestedAt: Timestamp,
};

const SyncCommand = z.object({
  ...commandFields,
  op: z.literal('sync'),
  /** Omitted: the app's current desired revision. */
  revision: Revision.optional(),
  prune: z.boolean().optional(),
  dryRun: z.boolean().optional(),
});

/** Deploys a kept revision; the api resolves the history id to its revision and bundle. */
const RollbackCommand = z.object({
  ...commandFields,
  op: z.literal('rollback'),
  historyId: z.number().int().nonnegative(),
  revision: Revision,
  bundleDigest: BundleDigest,
  /**
   * The app's prune policy when it was rolled back: its registration has automated sync
   * (and with it syncPolicy.automated.prune) removed while it stays rolled back.
   */
  prune: z.boolean().optional(),
});

/** Compare live state with desired state now, instead of at the next interval. */
const RefreshCommand = z.object({ ...commandFields, op: z.literal('refresh') });

const DeleteCommand = z.object({
  ...commandFields,
  op: z.literal('delete'),
  /** true: also delete what the app deployed (only objects carrying its tracking label). */
  cascade: z.boolean(),
});

/** `cairn.cmd.<cluster>.<app>`: something a user asked the reconciler to do to an app. */
export const Command = z
  .discriminatedUnion('op', [SyncCommand, RollbackCommand, RefreshCommand, DeleteCommand])
  .describe('Command');

export type Command = z.infer<typeof Command>;
export type SyncCommand = Extract<Command, { op: 'sync' }>;
export type RollbackCommand = Extract<Command, { op: 'rollback' }>;
export type RefreshCommand = Extract<Command, { op: 'refresh' }>;
export type DeleteCommand = Extract<Command, { op: 'delete' }>;
