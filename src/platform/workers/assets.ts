import { assetFile, type StaticAssets } from '../web/assets';

/**
 * Workers serve the built static files from static assets (`[assets]` in wrangler.toml): files under
 * /assets never reach the Worker; a page's route (not a file name there) does, and is answered here.
 */
export function boundAssets(binding: Fetcher): StaticAssets {
  return (c) => binding.fetch(new Request(new URL(assetFile(c.req.path), c.req.url), c.req.raw));
}
