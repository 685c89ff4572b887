import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  beforeCheckout,
  benchTokens,
  enrollMembers,
  freshDataDir,
  ledgerAudit,
  loadAverages,
  measure,
  post,
  printResults,
  ratios,
  startApp,
  startServer,
  writeResults,
  type LoadResult,
  type MeasureOptions,
  type Ratio,
} from './lib';

const MEMBERS = 1000;
const RECORD_ORDER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on RecordOrderPayload { pointsEarned } } }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename ... on PointsPayload { pointsBalance } } }`;

/**
 * `npm run bench -- ledger`: recordOrder over many members and redeemPoints on one hot member,
 * through GraphQL against `npm start` (production mode), and the same batches through a bare Hono
 * route (bench/baseline-server.ts), in the same run on the same machine.
 */
export async function ledgerBenchmark(options: MeasureOptions) {
  const dir = freshDataDir();
  const app = await startApp(18787, join(dir, 'app.db'));
  // The same app on the same database file with graphql-jit off: what the compiled execution saves, side by side.
  const interpreted = await startApp(18785, join(dir, 'app.db'), { GRAPHQL_JIT: 'false' });
  // `--before <checkout>`: that checkout's app too, on the same database: before and after in one run.
  const beforeDir = beforeCheckout();
  const before = beforeDir ? await startApp(18784, join(dir, 'app.db'), {}, { cwd: beforeDir }) : undefined;
  const baseline = await startServer(
    'bench/baseline-server.ts',
    { PORT: '18788', LIBSQL_URL: `file:${join(dir, 'baseline.db')}` },
    /baseline listening/,
  );
  try {
    const { storefront, admin } = await benchTokens();
    const graphql = (query: string, input: unknown, headers = storefront) =>
      post(`${app.url}/graphql`, { query, variables: { input } }, headers);

    const memberIds = await enrollMembers(app.url, storefront, MEMBERS);
    const rawIds = memberIds.map((id) => decodeGlobalID(id).id);
    await post(`${baseline.url}/seed`, { memberIds: rawIds });
    const hot = 0;
    await graphql(
      'mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename } }',
      { memberId: memberIds[hot], points: 1_000_000_000, reason: 'bench', idempotencyKey: 'fund' },
      admin,
    );
    await post(`${baseline.url}/record-order`, { memberId: rawIds[hot], orderId: 'fund', total: 100_000_000_000, idempotencyKey: 'fund' });

    const scenarios = {
      recordOrder: {
        graphql: (run: string) => (index: number) => ({
          query: RECORD_ORDER,
          variables: {
            input: {
              memberId: memberIds[index % MEMBERS],
              orderId: `${run}-${index}`,
              currency: 'EUR',
              total: 1000 + (index % 5000),
              idempotencyKey: `${run}-${index}`,
            },
          },
        }),
        baseline: (run: string) => (index: number) => ({
          memberId: rawIds[index % MEMBERS],
          orderId: `${run}-${index}`,
          total: 1000 + (index % 5000),
          idempotencyKey: `${run}-${index}`,
        }),
        route: '/record-order',
      },
      redeemPoints: {
        graphql: (run: string) => (index: number) => ({
          query: REDEEM,
          variables: { input: { memberId: memberIds[hot], points: 1, idempotencyKey: `${run}-${index}` } },
        }),
        baseline: (run: string) => (index: number) => ({ memberId: rawIds[hot], points: 1, idempotencyKey: `${run}-${index}` }),
        route: '/redeem',
      },
    };

    const results: Record<string, { paths: Record<string, LoadResult>; ratios: Record<string, Ratio>; rounds: unknown }> = {};
    const loadAtStart = loadAverages();
    for (const [name, scenario] of Object.entries(scenarios)) {
      const measured = await measure(
        name,
        {
          baseline: { url: `${baseline.url}${scenario.route}`, server: baseline, body: scenario.baseline },
          graphql: { url: `${app.url}/graphql`, server: app, headers: storefront, body: scenario.graphql },
          'graphql-no-jit': { url: `${interpreted.url}/graphql`, server: interpreted, headers: storefront, body: scenario.graphql },
          ...(before
            ? { 'graphql-before': { url: `${before.url}/graphql`, server: before, headers: storefront, body: scenario.graphql } }
            : {}),
        },
        options,
      );
      results[name] = {
        paths: measured.paths,
        ratios: {
          ...ratios(measured, 'graphql', 'baseline'),
          ...ratios(measured, 'graphql-no-jit', 'baseline'),
          ...(before ? ratios(measured, 'graphql-before', 'baseline') : {}),
        },
        rounds: measured.rounds,
      };
    }
    const loadAtEnd = loadAverages();

    const audit = await ledgerAudit(app.url, admin);
    const report = {
      scenario: 'ledger',
      at: new Date().toISOString(),
      ...options,
      members: MEMBERS,
      loadAverages: { start: loadAtStart, end: loadAtEnd },
      results,
      ledgerSound: audit.sound,
    };
    printResults(results);
    console.log(`load average (1, 5, 15 min) at the start ${loadAtStart.join(' ')}, at the end ${loadAtEnd.join(' ')}`);
    console.log(
      `(graphql: \`npm start\` with SCHEDULED_JOBS=false; graphql-no-jit: the same with GRAPHQL_JIT=false, on the same database${before ? `; graphql-before: the app of ${beforeDir}` : ''})`,
    );
    console.log(`ledger audit after the run: ${audit.sound ? 'sound' : `VIOLATIONS ${audit.violations.join(', ')}`}`);
    console.log(`results: ${writeResults('ledger', report)}`);
    return report;
  } finally {
    app.stop();
    interpreted.stop();
    before?.stop();
    baseline.stop();
  }
}
