import { useGraphQlJit } from '@envelop/graphql-jit';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { Kind, type ExecutionArgs, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Config } from '../../config';

/**
 * Node only: Workers refuse code generated from strings (graphql-jit's `new Function`), so the
 * Worker runs graphql-js and never bundles this.
 *
 * Executes documents with graphql-jit (compiled once per parsed document, then a plain function call
 * per request) instead of graphql-js's interpreter. A document graphql-jit cannot compile runs on
 * graphql-js as before: the envelop plugin alone would answer it with the compiler's error. So does a
 * document holding several operations, because the plugin keeps one compiled operation per document
 * whatever operation name a request picks.
 *
 * Both caches are keyed by the parsed document (WeakMaps), so they live as long as yoga's bounded
 * parser cache keeps the document: a client sending ever new texts cannot grow memory.
 */
export function jitExecution(options: { onCompileError?: (errors: readonly GraphQLError[]) => void } = {}): Plugin {
  const compilable = new WeakMap<ExecutionArgs['document'], boolean>();

  function compiles(args: ExecutionArgs): boolean {
    const known = compilable.get(args.document);
    if (known !== undefined) return known;
    const operations = args.document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    let ok = false;
    if (operations.length === 1) {
      // The plugin compiles again on its first run of the document: once per document, not per request.
      const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
      ok = isCompiledQuery(result);
      if (!ok) options.onCompileError?.((result as { errors?: readonly GraphQLError[] }).errors ?? []);
    }
    compilable.set(args.document, ok);
    return ok;
  }

  return {
    onPluginInit({ addPlugin }) {
      addPlugin(useGraphQlJit({}, { enableIf: compiles }) as Plugin);
    },
    onExecute({ args, executeFn }) {
      if (!compiles(args)) return;
      return {
        // graphql-jit words a variable its scalar refuses as "Expected type SafeInt", dropping the
        // scalar's own message. No resolver ran (the result has no data): yoga's own executor (which
        // this plugin replaced) coerces again, and answers with the scalar's message and a 400.
        async onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || result.data !== undefined || !result.errors?.length) return;
          const again = await executeFn(args);
          if (!isAsyncIterable(again)) setResult(again);
        },
      };
    },
  };
}

/** The GraphQL plugins of the Node app: graphql-jit unless GRAPHQL_JIT=false. */
export function nodeGraphQLPlugins(config: Config, logger: Pick<Console, 'warn'> = console): Plugin[] {
  if (!config.graphql.jit) return [];
  const warn = (errors: readonly GraphQLError[]) =>
    logger.warn(`GraphQL: runs on graphql-js, graphql-jit cannot compile it: ${errors.map((error) => error.message).join('; ')}`);
  return [jitExecution({ onCompileError: warn })];
}
