import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

/** Abuse limits checked before execution; a rejected document never touches the database. */
export const queryLimits = { maxDepth: 10, maxCost: 5000, maxAliases: 15, maxTokens: 2000 } as const;

export function limitPlugins(options: { production: boolean }) {
  const plugins = [
    maxDepthPlugin({ n: queryLimits.maxDepth, ignoreIntrospection: true, exposeLimits: true }),
    costLimitPlugin({ maxCost: queryLimits.maxCost, ignoreIntrospection: true, exposeLimits: true }),
    maxAliasesPlugin({ n: queryLimits.maxAliases, exposeLimits: true }),
    maxTokensPlugin({ n: queryLimits.maxTokens, exposeLimits: true }),
  ];
  return options.production ? [...plugins, blockFieldSuggestionsPlugin()] : plugins;
}
