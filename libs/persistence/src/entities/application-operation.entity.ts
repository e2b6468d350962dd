import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last operation a user started on an application (sync, rollback, ...). */
export interface RequestedOperation {
  id: string;
  op: string;
  initiatedBy: string;
  requestedAt: string;
}

/** The history entry an application was rolled back to; automated sync stays off until cleared. */
export interface RollbackState {
  id: number;
  revision: string;
}

/**
 * What the api itself knows of an application's operations, apart from what reconcilers
 * report: the last operation it queued (one at a time per app) and whether the app is
 * rolled back.
 */
@Entity({ name: 'application_operations' })
export class ApplicationOperationEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'application_operations_pkey' })
  app!: string;

  @Column({ name: 'last_operation', type: 'jsonb', nullable: true })
  lastOperation!: RequestedOperation | null;

  @Column({ name: 'rolled_back', type: 'jsonb', nullable: true })
  rolledBack!: RollbackState | null;
}
