import { InitialSchema1764136800000 } from './1764136800000-initial-schema';

/** In order; a new migration is appended, never inserted or edited once released. */
export const CAIRN_MIGRATIONS = [InitialSchema1764136800000];

export { InitialSchema1764136800000 };
