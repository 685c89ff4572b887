import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from '../graphql/builder';
import { describeSchema } from '../graphql/descriptions';
import '../graphql/types/scalars';
import '../graphql/types/errors';
import '../modules/programs';
import '../modules/members';
import '../modules/rules';
import '../modules/ledger';
import '../modules/tiers';
import '../modules/offers';
import '../modules/checkout';
import '../modules/referrals';
import '../modules/history';
import '../modules/imports';
import '../modules/segments';
import '../modules/partners';
import '../modules/events';
import '../modules/reminders';
import '../modules/experiments';
import '../modules/insights';
import '../jobs/schema';

const described = describeSchema(builder.toSchema());

/** The whole API, built once per isolate, every element described. */
export const schema = described.schema;

/** Entries of `api-reference.ts` that describe nothing (a test keeps this empty). */
export const unusedDescriptions = described.unused;

/** The SDL committed at schema/schema.graphql. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
