import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { signToken } from '../src/platform/auth/sign';
import { BENCH_SECRET, freshDataDir, load, post, startServer, writeResults, type LoadResult } from './lib';

const MEMBERS = 1000;
const RECORD_ORDER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on RecordOrderPayload { pointsEarned } } }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename ... on PointsPayload { pointsBalance } } }`;

/**
 * `npm run bench -- ledger`: recordOrder over many members and redeemPoints on one hot member,
 * through GraphQL against `npm start` (production mode), and the same batches through a bare Hono
 * route (bench/baseline-server.ts), in the same run on the same machine.
 */
export async function ledgerBenchmark({ seconds, connections }: { seconds: number; connections: number }) {
  const dir = freshDataDir();
  const app = await startServer('src/node.ts', { PORT: '18787', LIBSQL_URL: `file:${join(dir, 'app.db')}`, JWT_SECRET: BENCH_SECRET, DEFAULT_PROGRAM_ID: 'bench', NODE_ENV: 'production' }, /\/graphql/);
  const baseline = await startServer('bench/baseline-server.ts', { PORT: '18788', LIBSQL_URL: `file:${join(dir, 'baseline.db')}` }, /baseline listening/);
  try {
    const storefront = { authorization: `Bearer ${await signToken(BENCH_SECRET, { role: 'storefront', programId: 'bench', subject: 'bench' })}` };
    const admin = { authorization: `Bearer ${await signToken(BENCH_SECRET, { role: 'admin', programId: 'bench', subject: 'bench' })}` };
    const graphql = (query: string, input: unknown, headers = storefront) => post(`${app.url}/graphql`, { query, variables: { input } }, headers);

    const memberIds: string[] = [];
    for (let offset = 0; offset < MEMBERS; offset += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          graphql('mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { ... on MemberPayload { member { id } } } }', { email: `m${offset + index}@bench.test` }),
        ),
      );
      memberIds.push(...batch.map((response) => response.data.enrollMember.member.id as string));
    }
    const rawIds = memberIds.map((id) => decodeGlobalID(id).id);
    await post(`${baseline.url}/seed`, { memberIds: rawIds });
    const hot = 0;
    await graphql('mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename } }', { memberId: memberIds[hot], points: 1_000_000_000, reason: 'bench', idempotencyKey: 'fund' }, admin);
    await post(`${baseline.url}/record-order`, { memberId: rawIds[hot], orderId: 'fund', total: 100_000_000_000, idempotencyKey: 'fund' });

    const scenarios = {
      recordOrder: {
        graphql: (run: string) => (index: number) => ({ query: RECORD_ORDER, variables: { input: { memberId: memberIds[index % MEMBERS], orderId: `${run}-${index}`, currency: 'EUR', total: 1000 + (index % 5000), idempotencyKey: `${run}-${index}` } } }),
        baseline: (run: string) => (index: number) => ({ memberId: rawIds[index % MEMBERS], orderId: `${run}-${index}`, total: 1000 + (index % 5000), idempotencyKey: `${run}-${index}` }),
        route: '/record-order',
      },
      redeemPoints: {
        graphql: (run: string) => (index: number) => ({ query: REDEEM, variables: { input: { memberId: memberIds[hot], points: 1, idempotencyKey: `${run}-${index}` } } }),
        baseline: (run: string) => (index: number) => ({ memberId: rawIds[hot], points: 1, idempotencyKey: `${run}-${index}` }),
        route: '/redeem',
      },
    };

    const results: Record<string, { graphql: LoadResult; baseline: LoadResult; ratio: number }> = {};
    for (const [name, scenario] of Object.entries(scenarios)) {
      await load({ url: `${baseline.url}${scenario.route}`, seconds: 2, connections, body: scenario.baseline(`warm-b-${name}`) });
      await load({ url: `${app.url}/graphql`, seconds: 2, connections, headers: storefront, body: scenario.graphql(`warm-g-${name}`) });
      const base = await load({ url: `${baseline.url}${scenario.route}`, seconds, connections, body: scenario.baseline(`b-${name}`) });
      const gql = await load({ url: `${app.url}/graphql`, seconds, connections, headers: storefront, body: scenario.graphql(`g-${name}`) });
      results[name] = { graphql: gql, baseline: base, ratio: gql.requestsPerSecond / base.requestsPerSecond };
    }

    const audit = await post(`${app.url}/graphql`, { query: '{ ledgerAudit { sound violations { invariant } } }' }, admin);
    const report = { scenario: 'ledger', at: new Date().toISOString(), seconds, connections, members: MEMBERS, results, ledgerSound: audit.data.ledgerAudit.sound };
    console.log('\nscenario       path      req/s     p50 ms  p99 ms  errors');
    for (const [name, { graphql: gql, baseline: base, ratio }] of Object.entries(results)) {
      for (const [path, result] of [['graphql', gql], ['baseline', base]] as const) {
        console.log(`${name.padEnd(14)} ${path.padEnd(9)} ${result.requestsPerSecond.toFixed(0).padStart(6)}  ${String(result.latencyP50).padStart(6)}  ${String(result.latencyP99).padStart(6)}  ${result.errors + result.non2xx}`);
      }
      console.log(`${name.padEnd(14)} ratio     ${(ratio * 100).toFixed(0)}% of baseline throughput`);
    }
    console.log(`ledger audit after the run: ${report.ledgerSound ? 'sound' : 'VIOLATIONS'}`);
    console.log(`results: ${writeResults('ledger', report)}`);
    return report;
  } finally {
    app.stop();
    baseline.stop();
  }
}
