import { Module } from '@nestjs/common';
import { HistoryService } from './history.service';

/** Completed syncs per application, recorded from the events stream. */
@Module({ providers: [HistoryService], exports: [HistoryService] })
export class HistoryModule {}
