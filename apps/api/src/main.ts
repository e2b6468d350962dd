import 'reflect-metadata';
import { bootstrapService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { ApiConfig } from './config/api-config';
import { configureApi } from './configure-api';

void bootstrapService({ config: ApiConfig, module: AppModule, configure: configureApi });
