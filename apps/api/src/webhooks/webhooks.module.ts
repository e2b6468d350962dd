import { Module } from '@nestjs/common';
import { WebhooksService } from './webhooks.service';

/** Push webhooks of git hosts; the route itself is registered by configureApi. */
@Module({ providers: [WebhooksService], exports: [WebhooksService] })
export class WebhooksModule {}
