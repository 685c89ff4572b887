import type { GraphiQLOptions } from 'graphql-yoga';
import type { Config } from '../config';
import { signToken } from '../platform/auth/sign';
import { GRAPHIQL_FILES } from '../platform/web/assets';

/** How long the token GraphiQL is opened with stays valid; reloading the page brings a new one. */
const DEVELOPMENT_TOKEN_LIFETIME = '8h';

/**
 * GraphiQL's options: off in production; in development (and only there) its Authorization header
 * is filled in with an admin token of the default program, so the first query in the browser works.
 */
export function graphiqlOptions(config: Config): false | (() => Promise<GraphiQLOptions>) {
  if (!config.graphql.graphiql) return false;
  const secret = config.auth.secret;
  const prefill = config.environment === 'development' && secret !== undefined;
  return async () => {
    if (!prefill) return { title: 'edge-loyalty' };
    const token = await signToken(secret, {
      role: 'admin',
      programId: config.defaultProgram.id,
      subject: 'graphiql-development',
      expiresIn: DEVELOPMENT_TOKEN_LIFETIME,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
    });
    const headers = JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2);
    return { title: 'edge-loyalty (development: signed in as an admin of the default program)', headers, defaultHeaders: headers };
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** JSON inside an inline <script>: `<` escaped, so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * GraphiQL's page (yoga's `renderGraphiQL`), loading the GraphiQL build served by this app instead of
 * yoga's default CDN, so that it works offline. Monaco's editor workers load from the same origin.
 */
export function renderGraphiQL(options: GraphiQLOptions = {}): string {
  const title = escapeHtml(options.title ?? 'edge-loyalty');
  const workers = {
    editorWorkerService: GRAPHIQL_FILES.editorWorker,
    json: GRAPHIQL_FILES.jsonWorker,
    graphql: GRAPHIQL_FILES.graphqlWorker,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="${GRAPHIQL_FILES.favicon}">
<link rel="stylesheet" href="${GRAPHIQL_FILES.stylesheet}">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="root">Loading ${title}...</div>
<script>
const workers = ${scriptJson(workers)};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
</script>
<script src="${GRAPHIQL_FILES.script}"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${scriptJson(options)});</script>
</body>
</html>
`;
}
