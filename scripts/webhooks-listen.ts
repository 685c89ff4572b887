/**
 * A tiny local webhook receiver for development: verifies each delivery's Standard Webhooks
 * signature with the secret `createWebhookEndpoint` returned and prints it.
 *
 *   npm run webhooks:listen -- --secret whsec_… [--port 4000]
 *   (then create an endpoint with url http://localhost:4000/hooks)
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';

const { values } = parseArgs({
  options: {
    secret: { type: 'string', default: process.env.WEBHOOK_SECRET },
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!values.secret) {
  console.error('Pass the endpoint secret: npm run webhooks:listen -- --secret whsec_… (or set WEBHOOK_SECRET)');
  process.exit(1);
}
const verifier = new Webhook(values.secret);
const MAX_BODY_BYTES = 1024 * 1024;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      const event = verifier.verify(body, req.headers as Record<string, string>) as { type: string; timestamp: string; data: unknown };
      console.log(`✔ ${event.timestamp} ${event.type} (webhook-id ${req.headers['webhook-id']})\n${JSON.stringify(event.data, null, 2)}`);
      res.writeHead(204).end();
    } catch (error) {
      console.log(`✘ refused a request: ${error instanceof Error ? error.message : String(error)}`);
      res.writeHead(401).end();
    }
  });
});
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address() as { port: number };
  console.log(`Listening for webhooks on http://localhost:${port}/hooks`);
});
