import { AppEventEntity } from './app-event.entity';
import { ApplicationEntity } from './application.entity';
import { ClusterEntity } from './cluster.entity';
import { RepositoryEntity } from './repository.entity';

export { AppEventEntity, ApplicationEntity, ClusterEntity, RepositoryEntity };
export type { ClusterMode } from './cluster.entity';

/** Every entity Cairn persists, for the DataSource and TypeOrmModule.forFeature. */
export const CAIRN_ENTITIES = [RepositoryEntity, ClusterEntity, ApplicationEntity, AppEventEntity];
