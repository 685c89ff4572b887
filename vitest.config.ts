import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { workerdLibsqlBinding } from './test/workerd/libsql-binding';
import { webhookReceiverBinding } from './test/workerd/webhook-receiver';

// Tests never talk to Cloudflare: no telemetry, no `request.cf` fetch.
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

// workerd reports an exception thrown by a Durable Object's RPC method in its own log, even when the
// caller handles it; the suite throws these on purpose. Only these exact reports are dropped.
const expectedWorkerdReports = [/uncaught exception; source = Uncaught \(in promise\); stack = Error: Unknown command "no\.such\.command"/];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    expectedWorkerdReports.some((report) => report.test(String(chunk))) || write(chunk, ...rest)) as typeof stream.write;
}

export default defineConfig({
  test: {
    // CI reads the JSON report to print its own `N passed, N failed` line (.ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/test-results.json' }]] : ['default'],
    // Tests that expect an error make the app log it; a green run shows no logs, a failing test shows its own.
    silent: 'passed-only',
    globalSetup: ['./test/support/temporary-directory.ts'],
    projects: [
      {
        // Node loads graphql's CommonJS entry for packages in node_modules; source files must share
        // that one instance, or `instanceof GraphQLError` fails across the boundary.
        resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.workerd.test.ts'],
          environment: 'node',
          // Files share a worker's module cache instead of importing the app afresh each: every file
          // still gets its own database (createTestApp), and no module keeps state across databases.
          isolate: false,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            main: './src/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ENVIRONMENT: 'test',
                JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
                FINGERPRINT_SECRET: 'test-fingerprint-secret-of-at-least-32-characters',
                LIBSQL_URL: 'http://libsql.bridge',
              },
              serviceBindings: { LIBSQL_SERVICE: workerdLibsqlBinding(), WEBHOOK_OUTBOUND: webhookReceiverBinding() },
              // Explicit budgets for tests: far above what they send, except the anonymous one, which
              // the rate-limit test floods (with an address of its own, so no other test shares it).
              ratelimits: {
                RATE_LIMIT_ANONYMOUS: { namespace_id: '1901', simple: { limit: 40, period: 60 } },
                RATE_LIMIT_MEMBER: { namespace_id: '1902', simple: { limit: 100_000, period: 60 } },
                RATE_LIMIT_PARTNER: { namespace_id: '1903', simple: { limit: 100_000, period: 60 } },
                RATE_LIMIT_ADMIN: { namespace_id: '1904', simple: { limit: 100_000, period: 60 } },
                RATE_LIMIT_STOREFRONT: { namespace_id: '1905', simple: { limit: 100_000, period: 60 } },
                RATE_LIMIT_EXPENSIVE: { namespace_id: '1906', simple: { limit: 100_000, period: 60 } },
              },
            },
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/**/*.workerd.test.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
