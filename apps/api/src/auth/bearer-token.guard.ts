import { HealthController, MetricsController } from '@cairn/runtime';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminToken } from './admin-token';

/** Probes and metrics answer anyone: Kubernetes and Prometheus carry no token. */
const PUBLIC_CONTROLLERS: readonly unknown[] = [HealthController, MetricsController];

/** Every HTTP route but the probes and /metrics needs `Authorization: Bearer <admin token>`. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(private readonly adminToken: AdminToken) {}

  canActivate(context: ExecutionContext): boolean {
    // Message handlers (status, events) come from NATS, not from users.
    if (context.getType() !== 'http') return true;
    if (PUBLIC_CONTROLLERS.includes(context.getClass())) return true;
    const http = context.switchToHttp();
    const token = bearerToken(http.getRequest<FastifyRequest>().headers.authorization);
    if (token !== undefined && this.adminToken.matches(token)) return true;
    http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="cairn"');
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'Unauthorized',
      message:
        token === undefined
          ? 'missing bearer token: send Authorization: Bearer <admin token>'
          : 'invalid bearer token',
    });
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
