import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, type Observable, tap } from 'rxjs';
import { ADMIN } from '../operations/operations.service';
import { AuditTrail } from './audit-trail';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every mutating API call once it is answered. Calls the guard refused never get
 * here: only the admin token's holder is recorded, as "admin".
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly trail: AuditTrail) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!MUTATING.has(request.method)) return next.handle();
    const action = `${request.method} ${request.url.split('?')[0]}`;
    const app = applicationOf(request);
    const record = (outcome: number, message: string | null) =>
      void this.trail.record({ actor: ADMIN, action, app, outcome, message });
    return next.handle().pipe(
      tap(() => record(http.getResponse<FastifyReply>().statusCode, null)),
      catchError((error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : 500;
        record(status, error instanceof Error ? error.message.slice(0, 1024) : String(error));
        throw error;
      }),
    );
  }
}

/** POST /applications/sync and /refresh: each application they act on gets a record of its own. */
const BULK_OPERATION = /\/applications\/(sync|refresh)\/?(\?|$)/;

/** `/api/v1/applications/<name>/...`, or the name a POST /applications body registers. */
function applicationOf(request: FastifyRequest): string | null {
  if (request.method === 'POST' && BULK_OPERATION.test(request.url)) return null;
  const match = /\/applications\/([^/?]+)/.exec(request.url);
  if (match) return decodeURIComponent(match[1]);
  if (/\/applications\/?(\?|$)/.test(request.url)) {
    const name = (request.body as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    if (typeof name === 'string') return name;
  }
  return null;
}
