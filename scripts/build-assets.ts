/**
 * `npm run build:assets`: writes the static files the app serves into public/ (git-ignored), so that
 * GraphiQL and the insights page load nothing from a CDN:
 * - GraphiQL: the build that `@graphql-yoga/render-graphiql` ships (the one yoga otherwise loads from a
 *   CDN), as separate files instead of one 9 MB inline page;
 * - the insights page (web/insights/): its HTML and CSS, and its script bundled with Chart.js by esbuild.
 * It runs after `npm install`/`npm ci` (prepare) and before start, test, dev:worker and deploy.
 * `--watch` rebuilds the insights page on every change.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, context, type BuildOptions } from 'esbuild';
import { GRAPHIQL_FILES, INSIGHTS_FILES, PAGES, PUBLIC_DIRECTORY } from '../src/platform/web/assets';

const INSIGHTS_SOURCE = 'web/insights';

/** The strings `@graphql-yoga/render-graphiql` inlines into its page; its package exports only the renderer. */
interface GraphiQLBuild {
  js: string;
  css: string;
  favicon: string;
  editorWorkerService: string;
  jsonWorker: string;
  graphqlWorker: string;
}

async function loadGraphiQLBuild(): Promise<GraphiQLBuild> {
  const entry = createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql');
  return import(pathToFileURL(join(dirname(entry), 'graphiql.js')).href);
}

const output = (path: string) => join(PUBLIC_DIRECTORY, path);

function write(path: string, contents: string | Buffer) {
  mkdirSync(dirname(output(path)), { recursive: true });
  writeFileSync(output(path), contents);
}

async function writeGraphiQL() {
  const graphiql = await loadGraphiQLBuild();
  write(GRAPHIQL_FILES.script, graphiql.js);
  write(GRAPHIQL_FILES.stylesheet, graphiql.css);
  write(GRAPHIQL_FILES.editorWorker, graphiql.editorWorkerService);
  write(GRAPHIQL_FILES.jsonWorker, graphiql.jsonWorker);
  write(GRAPHIQL_FILES.graphqlWorker, graphiql.graphqlWorker);
  write(GRAPHIQL_FILES.favicon, Buffer.from(graphiql.favicon.replace(/^data:[^,]*;base64,/, ''), 'base64'));
}

function copyInsightsPage() {
  mkdirSync(dirname(output(INSIGHTS_FILES.stylesheet)), { recursive: true });
  copyFileSync(join(INSIGHTS_SOURCE, 'index.html'), output(PAGES['/insights']!));
  copyFileSync(join(INSIGHTS_SOURCE, 'insights.css'), output(INSIGHTS_FILES.stylesheet));
}

const insightsScript: BuildOptions = {
  entryPoints: [join(INSIGHTS_SOURCE, 'main.ts')],
  outfile: output(INSIGHTS_FILES.script),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'linked',
  logLevel: 'warning',
};

async function main() {
  const watch = process.argv.includes('--watch');
  rmSync(PUBLIC_DIRECTORY, { recursive: true, force: true });
  await writeGraphiQL();
  copyInsightsPage();
  if (!watch) {
    await build(insightsScript);
    console.log(`build:assets: GraphiQL and the insights page written to ${PUBLIC_DIRECTORY}/`);
    return;
  }
  const watcher = await context({ ...insightsScript, plugins: [{ name: 'copy-page', setup: (b) => b.onEnd(copyInsightsPage) }] });
  await watcher.watch();
  console.log(`build:assets: watching ${INSIGHTS_SOURCE}/ (Ctrl-C stops)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
