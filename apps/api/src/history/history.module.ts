import { Module } from '@nestjs/common';
import { BundleReclaimer } from './bundle-reclaimer';
import { HistoryService } from './history.service';

/** Completed syncs per application, recorded from the events stream; their bundles reclaimed. */
@Module({
  providers: [HistoryService, BundleReclaimer],
  exports: [HistoryService, BundleReclaimer],
})
export class HistoryModule {}
