/**
 * A local webhook receiver for workerd tests, as a Miniflare service binding implemented in Node:
 * the Worker's deliveries go to it (WEBHOOK_OUTBOUND), and `GET /__received` lists what arrived.
 * Test infrastructure only, like the libSQL bridge.
 */
export function webhookReceiverBinding(): (request: Request) => Promise<Response> {
  const received: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  return async (request) => {
    if (request.method === 'GET' && new URL(request.url).pathname === '/__received') return Response.json(received);
    received.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    return new Response(null, { status: 204 });
  };
}
