import { GraphQLError, Kind } from 'graphql';
import { builder } from '../builder';

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO-8601 string such as 2026-11-23T10:00:00Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO-8601 string in UTC',
  serialize: (date) => date.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
