import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

import { getNullableType, isListType, type GraphQLField } from 'graphql';

/** Abuse limits checked before execution; a rejected document never touches the database. */
export const queryLimits = { maxDepth: 10, maxCost: 5000, maxAliases: 15, maxTokens: 2000, maxComplexity: 20_000 } as const;

/** What a connection's page counts for when neither `first` nor `last` is given (its default page). */
const DEFAULT_PAGE = 20;

/**
 * The complexity of a field for @pothos/plugin-complexity, which sees the request's variables: a
 * connection multiplies what is selected in it by its page size (`first` or `last`, literal or a
 * variable), a list by 10; its `edges` are the page itself and add nothing more. graphql-armor's
 * cost limit only reads literal page sizes, so `first: $n` would pass it as 1.
 */
export function pageComplexity<Context>(args: Record<string, unknown>, _context: Context, field: GraphQLField<unknown, Context, Record<string, unknown>>) {
  if (field.args.some((arg) => arg.name === 'first')) {
    const page = Number(args.first ?? args.last ?? DEFAULT_PAGE);
    return { field: 1, multiplier: Number.isFinite(page) ? Math.max(1, page) : DEFAULT_PAGE };
  }
  if (field.name === 'edges') return { field: 1, multiplier: 1 };
  return isListType(getNullableType(field.type)) ? { field: 1, multiplier: 10 } : 1;
}

export function limitPlugins(options: { production: boolean }) {
  const plugins = [
    maxDepthPlugin({ n: queryLimits.maxDepth, ignoreIntrospection: true, exposeLimits: true }),
    costLimitPlugin({ maxCost: queryLimits.maxCost, ignoreIntrospection: true, exposeLimits: true }),
    maxAliasesPlugin({ n: queryLimits.maxAliases, exposeLimits: true }),
    maxTokensPlugin({ n: queryLimits.maxTokens, exposeLimits: true }),
  ];
  return options.production ? [...plugins, blockFieldSuggestionsPlugin()] : plugins;
}
