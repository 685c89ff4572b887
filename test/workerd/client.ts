import { exports } from 'cloudflare:workers';

export const SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** A GraphQL request to the Worker's own fetch handler, as a client over HTTP would send it. */
export async function graphql(query: string, variables: Record<string, unknown>, token: string) {
  const response = await exports.default.fetch('http://edge-loyalty.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: any }> };
}
