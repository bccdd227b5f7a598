import { z } from '@hono/zod-openapi';

/** A display name: one line of text, since names end up in mail subjects and calendar titles. */
export const displayName = () =>
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    // The control characters (Unicode Cc) spelled out: a `u`-flagged `\P{Cc}` leaked its flag
    // into the document's `pattern`, and a range reads the same in every regex dialect.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is refused.
    .regex(/^[^\x00-\x1F\x7F-\x9F]*$/, 'Must not contain line breaks or control characters');
