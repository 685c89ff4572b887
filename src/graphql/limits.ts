import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

/** Abuse limits checked before execution; a rejected document never touches the database. */
export const queryLimits = { maxDepth: 10, maxAliases: 15, maxTokens: 2000, maxComplexity: 20_000 } as const;

export function limitPlugins(options: { production: boolean }) {
  const plugins = [
    maxDepthPlugin({ n: queryLimits.maxDepth, ignoreIntrospection: true, exposeLimits: true }),
    maxAliasesPlugin({ n: queryLimits.maxAliases, exposeLimits: true }),
    maxTokensPlugin({ n: queryLimits.maxTokens, exposeLimits: true }),
  ];
  return options.production ? [...plugins, blockFieldSuggestionsPlugin()] : plugins;
}
