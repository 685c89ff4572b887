import { z } from 'zod';

export { MAX_AMOUNT } from './bounds';

/** A whole number within [min, max], with messages a client can show. */
export const whole = (min: number, max: number) =>
  z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** Control characters (NUL, ESC, DEL, C1 …): a NUL cuts a stored string short when it is read back. */
const CONTROL_CHARACTERS = /\p{Cc}/u;
/** The same, except tab and line breaks, which free text may hold. */
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;

/** Refuses control characters in an identifier or a name; any other Unicode (emoji, right-to-left text) is fine. */
export const withoutControlCharacters = <Schema extends z.ZodType<string>>(schema: Schema) =>
  schema.refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');

/** Trimmed, non-empty text of at most `max` characters, without control characters: identifiers, names, SKUs. */
export const text = (max: number) =>
  withoutControlCharacters(z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

/** Like `text`, for free text (a description, a reason) that may run over several lines. */
export const prose = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(
      (value) => !CONTROL_CHARACTERS_BUT_LINE_BREAKS.test(value),
      'must not contain control characters other than tabs and line breaks',
    );

/** An optional input field whose absence and `null` both become `null`. */
export const optional = <Schema extends z.ZodType>(schema: Schema) => schema.nullish().transform((value) => value ?? null);
