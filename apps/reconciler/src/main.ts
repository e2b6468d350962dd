import 'reflect-metadata';
import { bootstrapService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { ReconcilerConfig } from './config/reconciler-config';

void bootstrapService({ config: ReconcilerConfig, module: AppModule });
