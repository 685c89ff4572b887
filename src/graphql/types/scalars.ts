import { GraphQLError, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { builder } from '../builder';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO-8601 string such as 2026-11-23T10:00:00Z');
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO-8601 string in UTC',
  serialize: (date) => date.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseSafeInt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badInput('SafeInt must be a whole number within ±2^53');
  return value;
}

builder.scalarType('SafeInt', {
  description: 'A whole number up to ±2^53 (balances and totals can outgrow GraphQL Int)',
  serialize: (value) => parseSafeInt(value),
  parseValue: parseSafeInt,
  parseLiteral: (ast) => parseSafeInt(ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

function parseAttributes(value: unknown): Record<string, string | number | boolean> {
  const isPlainObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const entries = isPlainObject ? Object.entries(value) : [];
  const valid =
    isPlainObject &&
    entries.length <= 50 &&
    entries.every(([key, item]) => key.length <= 100 && ['string', 'number', 'boolean'].includes(typeof item));
  if (!valid) throw badInput('Attributes must be an object of at most 50 keys with string, number or boolean values');
  return value as Record<string, string | number | boolean>;
}

builder.scalarType('Attributes', {
  description: 'Free-form facts about an order, e.g. {"ownCup": true, "channel": "app"}',
  serialize: (value) => value,
  parseValue: parseAttributes,
  parseLiteral: (ast) => parseAttributes(valueFromASTUntyped(ast as ValueNode)),
});

function parseObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput('JSONObject must be a JSON object');
  // Literals come back as null-prototype objects: a JSON round trip makes plain ones for the code behind.
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

builder.scalarType('JSONObject', {
  description:
    'A JSON object: as input, the field that takes it states its limits and refuses what breaks them with InvalidInputError; as output, as documented where it is returned (an event payload follows its JSON Schema under schema/events/)',
  serialize: (value) => value,
  parseValue: parseObject,
  parseLiteral: (ast) => parseObject(valueFromASTUntyped(ast as ValueNode)),
});
