import { prepared, type DB } from '../client';

/** The newest audit row: a page shows the state up to here, and its socket catches up from here. */
export function lastEventId(db: DB): number {
  return (prepared(db, 'SELECT coalesce(max(id), 0) AS id FROM audit_log').get() as { id: number }).id;
}
