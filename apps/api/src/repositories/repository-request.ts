import type { RepositoryEntity } from '@cairn/persistence';
import { z } from 'zod';

/** POST /repositories. Unknown fields (Argo CD's `type`, `project`, ...) are ignored. */
export const RepositoryRequest = z.object({
  url: z.string().min(1),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  pollIntervalSeconds: z.number().int().min(1).max(86_400).optional(),
  webhookSecret: z.string().min(1).optional(),
});
export type RepositoryRequest = z.infer<typeof RepositoryRequest>;

/** What GET shows: whether credentials are set, never what they are. */
export interface RepositoryView {
  id: string;
  url: string;
  username?: string;
  pollIntervalSeconds: number;
  hasPassword: boolean;
  hasWebhookSecret: boolean;
  createdAt: string;
}

export function repositoryView(row: RepositoryEntity): RepositoryView {
  return {
    id: row.id,
    url: row.url,
    ...(row.username !== null && { username: row.username }),
    pollIntervalSeconds: row.pollIntervalSeconds,
    hasPassword: row.passwordCiphertext !== null,
    hasWebhookSecret: row.webhookSecretCiphertext !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
