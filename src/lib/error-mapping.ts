/** Anything thrown becomes an ApiError, so onError answers every failure in the one problem+json shape. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { ApiError, type ErrorCode, problemResponse } from '../errors';
import { logError } from './log';
import { undecodableBody } from './utf8-body';

/** The generic code of each status an HTTPException from Hono's own middleware may carry. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function toApiError(error: unknown, c: Context): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException && error.status < 500) {
    if (error.status === 400 && /json/i.test(error.message))
      return undecodableBody(c) ?? new ApiError('malformed_json', error.message);
    const code = CODE_OF_STATUS[error.status];
    return code ? new ApiError(code) : new ApiError('bad_request', error.message);
  }
  // Unexpected: log for operators, never show the client a stack or SQL.
  logError('request failed', error, { requestId: c.get('requestId'), method: c.req.method, route: routePath(c) });
  return new ApiError('internal_error', 'Something went wrong on our side.');
}

export const answerError = (error: Error, c: Context) => problemResponse(c, toApiError(error, c));
