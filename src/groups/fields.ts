/**
 * Request fields about groups, derived from the `groups` table
 * (src/db/zod.ts) with the limits its columns cannot express.
 */
import { z } from '@hono/zod-openapi';
import { groups } from '../db/schema';
import { createInsertSchema } from '../db/zod';
import { displayName } from '../lib/display-name';
import { isValidTimeZone } from '../lib/time';

const groupFields = createInsertSchema(groups, {
  name: displayName,
  description: () => z.string().max(2000),
  timeZone: () =>
    z
      .string()
      .max(64)
      .refine(isValidTimeZone, 'Not an IANA time zone name (such as Europe/Berlin); UTC offsets such as +01:00 are refused')
      .openapi({
        description: 'IANA time zone name, e.g. `Europe/Berlin` or `UTC`; offsets such as `+01:00` are no zone and are refused',
        example: 'Europe/Berlin',
      }),
}).shape;

export const GroupNameField = groupFields.name.openapi({ example: 'Backstube' });
export const GroupDescriptionField = groupFields.description;
export const TimeZoneField = groupFields.timeZone;
export const GroupLanguageField = groupFields.language.unwrap().openapi({ description: "'de' or 'en'" });
