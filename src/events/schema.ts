/** The CakeEvent wire object and the request bodies of the events API. */
import { z } from '@hono/zod-openapi';
import { DIETS, events } from '../db/schema';
import { createSelectSchema } from '../db/zod';
import { Timestamp } from '../lib/openapi';
import { isCalendarDate } from '../lib/time';
import { AllergenField, AllergensField, DietaryNeedsSchema, SuitableForField } from './dietary';

/** Years a calendar can carry: four digits, with room for the day after (DTEND). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9998;

export const CalendarDate = z
  .string()
  .refine(isCalendarDate, 'Must be a real calendar date (YYYY-MM-DD)')
  .refine((d) => {
    const year = Number(d.slice(0, 4));
    return year >= FIRST_YEAR && year <= LAST_YEAR;
  }, `Must lie in the years ${FIRST_YEAR} to ${LAST_YEAR}`)
  .openapi({
    type: 'string',
    format: 'date',
    example: '2026-12-04',
    description: `A real date, years ${FIRST_YEAR}..${LAST_YEAR}`,
  });

/** What a baker writes about a cake: the same bound on create, on an assignment's accept and on a change. */
export const EventDescriptionField = z.string().max(2000, 'At most 2,000 characters');

export const GalleryItemSchema = z
  .object({
    userId: z.string(),
    userName: z.string(),
    url: z.string().openapi({ description: 'Signed photo URL, loadable without Authorization' }),
    isMine: z.boolean(),
    uploadedAt: Timestamp,
  })
  .openapi('GalleryItem');

export const RatingSummarySchema = z
  .object({
    average: z.number().openapi({ description: 'Plain mean of the stars; 0 when unrated' }),
    count: z.number().int(),
    myRating: z.number().int().openapi({ description: "The caller's stars; 0 = not rated" }),
  })
  .openapi('RatingSummary');

/** The table's columns the CakeEvent shows as they are; the rest is derived for the caller. */
const column = createSelectSchema(events, {
  date: (c) => c.openapi({ format: 'date' }),
  createdAt: Timestamp,
}).shape;

export const CakeEventSchema = z
  .object({
    id: column.id,
    groupId: column.groupId,
    groupName: z.string(),
    bakerId: z.string().openapi({ description: 'Empty when the baker deleted their account' }),
    bakerName: z.string().openapi({ description: '"Deleted user" when the baker deleted their account' }),
    date: column.date,
    description: column.description,
    photoUrl: z.string().nullable().openapi({ description: "The baker's cover photo (signed URL), or null" }),
    allergens: z.array(AllergenField).nullable().openapi({
      description: "What the cake contains, of the EU's 14 allergen groups: null = not stated, [] = none of them",
    }),
    suitableFor: z.array(z.enum(DIETS)).openapi({ description: 'Diets the cake suits; [] = not stated' }),
    suitsMe: z
      .boolean()
      .nullable()
      .openapi({
        description:
          'For the caller: false when a stated allergen is one they avoid or their diet is not among a stated suitableFor; ' +
          'null when they have needs the baker stated nothing about; else true. false wins over null.',
      }),
    gallery: z.array(GalleryItemSchema),
    isOwner: z.boolean(),
    isFuture: z.boolean().openapi({ description: "After today in the group's time zone" }),
    canDelete: z.boolean(),
    canRate: z.boolean(),
    rating: RatingSummarySchema,
    dietaryNeeds: DietaryNeedsSchema.optional().openapi({
      description:
        "Only in GET /api/events/{id}, for the baker, the group's admins and global admins, on upcoming events: " +
        "counts over the group's members not away that day, never names",
    }),
    createdAt: column.createdAt,
  })
  .openapi('CakeEvent');

export type CakeEvent = z.infer<typeof CakeEventSchema>;

export const NewEventSchema = z
  .object({
    date: CalendarDate,
    description: EventDescriptionField.nullish(),
    groupId: z.string().min(1).max(64).nullish().openapi({
      description: 'Required when the caller belongs to several groups (null = omitted)',
    }),
    allergens: AllergensField,
    suitableFor: SuitableForField.optional(),
  })
  .openapi('NewEvent');

export type NewEvent = z.infer<typeof NewEventSchema>;

/**
 * The multipart `event` field is read as JSON only up to this size (else 413):
 * enough for any valid NewEvent, even a 2,000-character description written
 * all in `\uXXXX` escapes, while a member cannot make the isolate parse
 * megabytes of JSON up to the 10 MB multipart limit.
 */
export const MAX_EVENT_FIELD_BYTES = 16 * 1024;

export const NewEventFormSchema = z
  .object({
    event: z
      .string()
      .openapi({ description: `The NewEvent JSON, at most ${MAX_EVENT_FIELD_BYTES / 1024} KiB (UTF-8; else 413)` }),
    image: z.any().optional().openapi({ type: 'string', format: 'binary', description: 'Cover photo' }),
    photo: z.any().optional().openapi({ type: 'string', format: 'binary', description: 'Synonym of image' }),
  })
  .openapi('NewEventForm');

export const RatingInputSchema = z
  .object({
    stars: z.number().int('Stars are whole numbers').min(1).max(5),
    comment: z.string().max(500, 'At most 500 characters').nullish(),
  })
  .openapi('RatingInput');
