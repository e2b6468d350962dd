import 'reflect-metadata';
import { bootstrapService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { PollerConfig } from './config/poller-config';

void bootstrapService({ config: PollerConfig, module: AppModule });
