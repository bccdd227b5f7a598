/**
 * drizzle-zod bound to the zod of @hono/zod-openapi, so schemas derived from
 * the tables carry `.openapi()` too: the database, validation and the
 * OpenAPI document share one source. Request fields: src/users/fields.ts,
 * src/groups/fields.ts; response objects: src/users/user-view.ts,
 * src/groups/group-view.ts, src/events/schema.ts.
 */
import { z } from '@hono/zod-openapi';
import { createSchemaFactory } from 'drizzle-zod';

export const { createInsertSchema, createSelectSchema } = createSchemaFactory({ zodInstance: z });
