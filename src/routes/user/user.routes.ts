import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../auth/middleware';
import { bearerAuth, jsonContent, problems } from '../../lib/openapi';
import { UserSchema } from '../../users/user-view';

export const getUser = createRoute({
  method: 'get',
  path: '/user',
  tags: ['User'],
  summary: 'The caller’s own profile (reachable during a forced password change)',
  security: bearerAuth,
  middleware: [requireAuth({ allowPasswordChange: true, deferred: true })] as const,
  responses: {
    200: jsonContent(UserSchema, 'The full User object'),
    ...problems(401),
  },
});
