import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RateLimitDecision, RateLimiter } from '../platform/rate-limit/limiter';
import type { GraphQLContext } from './context';

/**
 * Root fields that cost far more than a request usually does: a quote evaluates every offer, the
 * audit recomputes the whole ledger, code generation writes thousands of rows, a job walks members.
 * Each request using one also counts against the caller's `expensive` budget.
 */
export const expensiveRootFields = new Set(['quote', 'ledgerAudit', 'generatePromoCodes', 'runJob']);

/** The 429 answer: `Retry-After` and the RATE_LIMITED code, for the HTTP layer and for GraphQL. */
export function rateLimitedError(decision: RateLimitDecision, what = 'requests'): GraphQLError {
  return new GraphQLError(`Too many ${what}: try again in ${decision.retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: decision.retryAfterSeconds,
      http: { status: 429, headers: { 'Retry-After': String(decision.retryAfterSeconds) } },
    },
  });
}

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName ? operations.find((operation) => operation.name?.value === operationName) : operations[0];
}

/** Counts operations that select an expensive root field against the `expensive` budget, before they run. */
export function rateLimitExpensiveOperations(limit: RateLimiter): Plugin<GraphQLContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = operationOf(args.document, args.operationName);
      const expensive = operation?.selectionSet.selections.some(
        (selection) => selection.kind === Kind.FIELD && expensiveRootFields.has(selection.name.value),
      );
      if (!expensive) return;
      const decision = await limit('expensive', (args.contextValue as GraphQLContext).rateLimitKey);
      if (!decision.allowed) setResultAndStopExecution({ errors: [rateLimitedError(decision, 'expensive operations')] });
    },
  };
}
