import { AppEventEntity } from './app-event.entity';
import { ApplicationOperationEntity } from './application-operation.entity';
import { ApplicationEntity } from './application.entity';
import { AuditRecordEntity } from './audit-record.entity';
import { ClusterEntity } from './cluster.entity';
import { RepositoryEntity } from './repository.entity';
import { SyncHistoryEntity } from './sync-history.entity';

export {
  AppEventEntity,
  ApplicationEntity,
  ApplicationOperationEntity,
  AuditRecordEntity,
  ClusterEntity,
  RepositoryEntity,
  SyncHistoryEntity,
};
export type { RequestedOperation, RollbackState } from './application-operation.entity';
export type { ClusterMode } from './cluster.entity';

/** Every entity Cairn persists, for the DataSource and TypeOrmModule.forFeature. */
export const CAIRN_ENTITIES = [
  RepositoryEntity,
  ClusterEntity,
  ApplicationEntity,
  AppEventEntity,
  SyncHistoryEntity,
  ApplicationOperationEntity,
  AuditRecordEntity,
];
