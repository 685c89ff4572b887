import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder';
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
import '../jobs/schema';

/** The whole API, built once per isolate. */
export const schema = builder.toSchema();

/** The SDL committed at schema/schema.graphql. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
