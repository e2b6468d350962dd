import { Module } from '@nestjs/common';
import { StatusConsumer } from './status.consumer';
import { StatusService } from './status.service';

/** Consumes AppStatus messages into applications.status, which GET /applications shows. */
@Module({ controllers: [StatusConsumer], providers: [StatusService] })
export class StatusModule {}
