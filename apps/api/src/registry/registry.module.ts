import { Module } from '@nestjs/common';
import { RegistryMirror } from './registry-mirror.service';

/** The registry buckets as a mirror of PostgreSQL, for the repo-poller and reconcilers. */
@Module({ providers: [RegistryMirror], exports: [RegistryMirror] })
export class RegistryModule {}
