import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { HonoEnv } from '../env';
import { ApiError } from '../errors';

// A missing field reads "Required" rather than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined),
});

/**
 * Validation failures become the same problem+json as every other error:
 * 400 `validation_failed` with one `{path, message}` per offending field.
 */
export const validationHook = (
  result: { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
  _c: unknown,
) => {
  if (result.success) return;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new ApiError('validation_failed', detail, { errors });
};

export function createRouter() {
  return new OpenAPIHono<HonoEnv>({ strict: false, defaultHook: validationHook });
}
