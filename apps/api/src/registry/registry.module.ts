import { Module } from '@nestjs/common';
import { RegistrationEvents } from './registration-events';
import { RegistryMirror } from './registry-mirror.service';

/**
 * The registry buckets as a mirror of PostgreSQL, for the repo-poller and reconcilers,
 * and registration changes told on the events stream.
 */
@Module({
  providers: [RegistryMirror, RegistrationEvents],
  exports: [RegistryMirror, RegistrationEvents],
})
export class RegistryModule {}
