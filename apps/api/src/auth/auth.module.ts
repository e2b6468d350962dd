import { Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiConfig } from '../config/api-config';
import { AdminToken } from './admin-token';
import { BearerTokenGuard } from './bearer-token.guard';

/** Bearer-token authentication of the whole HTTP API, with one admin token for now. */
@Module({
  providers: [
    {
      provide: AdminToken,
      inject: [ApiConfig],
      useFactory: async (config: ApiConfig) => {
        const { token, written } = await AdminToken.resolve(
          config.adminToken,
          config.adminTokenFile,
        );
        // The path only: the token itself never reaches a log.
        if (written) new Logger('Auth').log(`admin token written to ${config.adminTokenFile}`);
        return token;
      },
    },
    { provide: APP_GUARD, useClass: BearerTokenGuard },
  ],
})
export class AuthModule {}
