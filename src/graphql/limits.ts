import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

import { getNullableType, isListType, type GraphQLField } from 'graphql';

/** Abuse limits checked before execution; a rejected document never touches the database. */
export const queryLimits = { maxDepth: 10, maxAliases: 15, maxTokens: 2000, maxComplexity: 20_000 } as const;

/** What a connection's page counts for when neither `first` nor `last` is given (its default page). */
const DEFAULT_PAGE = 20;

/**
 * The complexity of a field for @pothos/plugin-complexity, the one cost limit: it sees the request's
 * variables, so `first: $n` costs n (a limit that reads only literal page sizes would count it as 1). A
 * connection multiplies what is selected in it by its page size (`first` or `last`), a list by 10; its
 * `edges` are the page itself and add nothing more.
 */
export function pageComplexity<Context>(
  args: Record<string, unknown>,
  _context: Context,
  field: GraphQLField<unknown, Context, Record<string, unknown>>,
) {
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
    maxAliasesPlugin({ n: queryLimits.maxAliases, exposeLimits: true }),
    maxTokensPlugin({ n: queryLimits.maxTokens, exposeLimits: true }),
  ];
  return options.production ? [...plugins, blockFieldSuggestionsPlugin()] : plugins;
}
