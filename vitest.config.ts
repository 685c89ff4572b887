import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { workerdLibsqlBinding } from './test/workerd/libsql-binding';

export default defineConfig({
  test: {
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
                LIBSQL_URL: 'http://libsql.bridge',
              },
              serviceBindings: { LIBSQL_SERVICE: workerdLibsqlBinding() },
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
