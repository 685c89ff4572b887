import { builder } from './builder';

/** A GraphQL enum whose values are the upper-cased domain values (`rolling_months` → ROLLING_MONTHS). */
export const upperCaseEnum = <Value extends string>(name: string, values: readonly Value[], description?: string) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((value) => [value.toUpperCase(), { value }])) as Record<string, { value: Value }>,
  });
