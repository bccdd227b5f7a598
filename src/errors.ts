/**
 * One error type for the whole API, with a closed set of codes. `onError`,
 * `notFound` and the validation hook all format through `problemResponse`, so
 * every error a client sees is the same RFC 9457 shape.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const ERROR_CODES = {
  validation_failed: { status: 400, title: 'Invalid input' },
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'Malformed JSON' },
  unauthorized: { status: 401, title: 'Authentication required' },
  invalid_token: { status: 401, title: 'Invalid or expired token' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  invalid_code: { status: 401, title: 'Invalid two-factor code' },
  forbidden: { status: 403, title: 'Forbidden' },
  account_inactive: { status: 403, title: 'Account inactive' },
  password_change_required: { status: 403, title: 'Password change required' },
  reauthentication_required: { status: 403, title: 'Reauthentication required' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  email_taken: { status: 409, title: 'Email already registered' },
  name_taken: { status: 409, title: 'Name already taken' },
  last_admin: { status: 409, title: 'Last active global admin' },
  not_yet: { status: 409, title: 'Not yet' },
  not_a_cake_day: { status: 409, title: 'Not a cake day' },
  cake_day_taken: { status: 409, title: 'Cake day already covered or assigned' },
  member_unavailable: { status: 409, title: 'Member cannot be assigned' },
  already_answered: { status: 409, title: 'Already answered' },
  already_taken: { status: 409, title: 'Already taken' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, detail?: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail ?? ERROR_CODES[code].title);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

/** 400 `validation_failed` naming each offending field; the validation hook and handlers' own checks both build it here. */
export function invalidInput(errors: FieldError[]): ApiError {
  return new ApiError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

/** One field's `invalidInput`. */
export const invalidField = (path: string, message: string) => invalidInput([{ path, message }]);

interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId?: string;
  errors?: FieldError[];
}

function toProblem(error: ApiError, requestId?: string): ProblemDetails {
  return {
    type: `https://cake-planner.dev/problems/${error.code.replaceAll('_', '-')}`,
    title: ERROR_CODES[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(requestId ? { requestId } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function problemResponse(c: Context, error: ApiError): Response {
  const body = toProblem(error, c.get('requestId'));
  const headers = new Headers({ 'Content-Type': 'application/problem+json' });
  // RFC 9110: a 401 names the scheme that would be accepted.
  if (error.status === 401) headers.set('WWW-Authenticate', 'Bearer realm="cake-planner"');
  for (const [k, v] of Object.entries(error.headers ?? {})) headers.set(k, v);
  return c.body(JSON.stringify(body), error.status, Object.fromEntries(headers));
}
