import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { assetFile, PUBLIC_DIRECTORY, type StaticAssets } from '../web/assets';

const PROJECT_PUBLIC_DIRECTORY = fileURLToPath(new URL(`../../../${PUBLIC_DIRECTORY}`, import.meta.url));

/** Node serves the built static files from disk (`public/` of the project, wherever the process starts). */
export function diskAssets(root = PROJECT_PUBLIC_DIRECTORY): StaticAssets {
  if (!existsSync(root)) console.warn(`${root} is missing: run \`npm run build:assets\` for GraphiQL and the insights page.`);
  const serve = serveStatic({ root, rewriteRequestPath: assetFile });
  return async (c) => (await serve(c, async () => {})) ?? c.notFound();
}
