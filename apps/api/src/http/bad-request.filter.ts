import { type ArgumentsHost, BadRequestException, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { badRequest } from './api-errors';

/**
 * Every 400 in one shape, {statusCode, error, message, problems}, also those that Fastify
 * raises before a handler runs (a body that is not JSON, an empty JSON body, ...): clients
 * read one format, whatever went wrong.
 */
@Catch(HttpException)
export class BadRequestFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    const body = exception.getResponse();
    const shaped = typeof body === 'object' && body !== null && 'problems' in body;
    if (exception.getStatus() !== 400 || shaped || host.getType() !== 'http') {
      return super.catch(exception, host);
    }
    const message = typeof body === 'string' ? body : (exception.message ?? 'Bad Request');
    return super.catch(
      badRequest([{ path: 'body', reason: message }]) satisfies BadRequestException,
      host,
    );
  }
}
