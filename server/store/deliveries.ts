// The deliveries store for one connection: writes (group commit, deletion, retention),
// reads (pages, stream backlog, detail) and aggregates (facets, histogram) over the same
// built-SQL cache. Row shapes stay inside this folder.
import type { Db } from './db.ts';
import { createDeliveryAggregates } from './delivery-aggregates.ts';
import { createDeliveryReads } from './delivery-reads.ts';
import { createDeliverySql } from './delivery-sql.ts';
import { createDeliveryWrites } from './delivery-writes.ts';

export { summaryOf, toSummary } from './delivery-rows.ts';
export type { ListOptions, Stats } from './delivery-reads.ts';

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;

export function createDeliveryStore(db: Db, options: { maxDeliveries: number }) {
  const built = createDeliverySql(db);
  return {
    ...createDeliveryWrites(db, built, options),
    ...createDeliveryReads(db, built),
    ...createDeliveryAggregates(db, built),
    /** The count is read from the database each time (kept exact by triggers); nothing to refresh. */
    refreshCount(): void {},
    maxDeliveries: options.maxDeliveries,
  };
}
