import type { z } from 'zod';
import { InvalidInputError } from '../platform/errors';

/**
 * Parses a mutation's `input` with its zod schema inside the resolver, after authorization, so that
 * a caller without access learns nothing from validation, and failures become `InvalidInputError`
 * results with the path of each offending field.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(result.error.issues.map((issue) => ({ path: ['input', ...issue.path.map(String)], message: issue.message })));
}
