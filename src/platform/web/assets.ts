import type { Context } from 'hono';

/**
 * The static files the app serves next to its API, built into `public/` by `npm run build:assets`
 * (scripts/build-assets.ts): GraphiQL's bundle and the insights page. Nothing is fetched from a CDN,
 * so both work on a machine without internet. Node reads them from disk, Workers from static assets
 * (`[assets]` in wrangler.toml); both answer the same paths.
 */

/** The folder `npm run build:assets` writes, relative to the project root (wrangler.toml's `[assets]` too). */
export const PUBLIC_DIRECTORY = 'public';

/** Every static file lives under this path, except the pages that have a route of their own. */
export const ASSETS_PATH = '/assets';

/** GraphiQL's files, as `@graphql-yoga/render-graphiql` ships them (the same build yoga loads from a CDN). */
export const GRAPHIQL_FILES = {
  script: `${ASSETS_PATH}/graphiql/graphiql.js`,
  stylesheet: `${ASSETS_PATH}/graphiql/graphiql.css`,
  favicon: `${ASSETS_PATH}/graphiql/favicon.ico`,
  editorWorker: `${ASSETS_PATH}/graphiql/editor.worker.js`,
  jsonWorker: `${ASSETS_PATH}/graphiql/json.worker.js`,
  graphqlWorker: `${ASSETS_PATH}/graphiql/graphql.worker.js`,
} as const;

/** The insights page's files (web/insights/index.html links them by these paths). */
export const INSIGHTS_FILES = {
  script: `${ASSETS_PATH}/insights/insights.js`,
  stylesheet: `${ASSETS_PATH}/insights/insights.css`,
} as const;

/** Pages served at a route of their own: route → file in `public/`. */
export const PAGES: Readonly<Record<string, string>> = { '/insights': '/insights.html' };

/** The file in `public/` that answers a request path (a page's route maps to its HTML file). */
export function assetFile(path: string): string {
  return PAGES[path] ?? path;
}

/** Answers a GET for a static file or a page (a path with no file in `public/` is a 404); one per runtime. */
export type StaticAssets = (c: Context) => Promise<Response>;
