import 'reflect-metadata';
import { bootstrapService } from '@cairn/runtime';
import { ApiConfig } from './api-config';
import { AppModule } from './app.module';

void bootstrapService({ config: ApiConfig, module: AppModule });
