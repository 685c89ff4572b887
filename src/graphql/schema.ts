import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder';
import { describeSchema } from './descriptions';
import './types/scalars';
import './types/errors';
import '../modules/programs/schema';
import '../modules/members/schema';
import '../modules/rules/schema';
import '../modules/ledger/schema';
import '../modules/tiers/schema';
import '../modules/offers/schema';
import '../modules/checkout/schema';
import '../modules/referrals/schema';
import '../modules/history/schema';
import '../modules/imports/schema';
import '../modules/segments/schema';
import '../modules/events/schema';
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
