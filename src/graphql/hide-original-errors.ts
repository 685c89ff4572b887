import type { Plugin } from 'graphql-yoga';

type HttpExtension = { status?: number };
type Result = { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }>; extensions?: Record<string, unknown> };

/**
 * graphql-yoga answers errors of the request itself (a body that is not JSON …) with
 * `extensions.originalError`, its internal name and message, even outside development: in
 * production they go. Yoga also reads that extension to choose the status (400, not 200), so the
 * error's status moves to the result's `http` extension, which yoga applies and never prints.
 * Errors of execution are masked by `maskedErrors` already.
 */
export function hideOriginalErrors(): Plugin {
  return {
    onResultProcess({ result }) {
      // In place: the results and errors are yoga's own, built for this response only.
      for (const one of (Array.isArray(result) ? result : [result]) as Result[]) {
        for (const error of one.errors ?? []) {
          if (!error.extensions || !('originalError' in error.extensions)) continue;
          delete error.extensions.originalError;
          const status = (error.extensions.http as HttpExtension | undefined)?.status;
          const current = (one.extensions?.http as HttpExtension | undefined)?.status ?? 0;
          if (status && status > current) one.extensions = { ...one.extensions, http: { ...(one.extensions?.http as object), status } };
        }
      }
    },
  };
}
