import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMembers, importOrders } from '../../support/history';
import { createTestApp, type TestApp } from '../../support/test-app';

/**
 * The README's worked example, run with generated data: a pilot whose treatment group was given a
 * known effect (one more order in the pilot month for every other member) is detected, and a pilot
 * with no effect is not. Each pilot runs in a program of its own, and its orders are generated after
 * reading each member's arm: member i of either arm follows the same pattern, so the only difference
 * between the arms is the planted one, whatever the hash split draws.
 */
const CREATE = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { __typename ... on ExperimentPayload { experiment { id } } ... on Error { code message } } }`;
const ARMS = `query($after: String) { members(first: 100, after: $after) { edges { node { externalId experiments { experiment { id } arm } } } pageInfo { hasNextPage endCursor } } }`;
const REPORT = `query($id: ID!) { experimentReport(id: $id) { __typename ... on ExperimentReport {
  treatment { before { members buyers ordersPerMember } during { members buyers ordersPerMember } }
  control { before { members ordersPerMember } during { members ordersPerMember } }
  comparisons { metric treatment control absoluteLift { value low high pValue significant } relativeLift { value low high }
    differenceInDifferences { value low high pValue significant } }
  warnings } ... on Error { code message } } }`;

const MEMBERS = 600;
const BEFORE = Date.parse('2025-05-01T00:00:00Z');
const START = Date.parse('2025-06-01T00:00:00Z');
const END = Date.parse('2025-07-01T00:00:00Z');

type Pilot = { id: string; token: string };

async function runPilot(app: TestApp, programId: string, plantedEffect: boolean): Promise<Pilot> {
  const token = await app.token({ role: 'admin', programId });
  const created = await app.graphql(
    CREATE,
    { input: { name: programId, holdoutBasisPoints: 5000, startsAt: new Date(START).toISOString(), endsAt: new Date(END).toISOString() } },
    token,
  );
  const id: string = created.data!.createExperiment.experiment.id;
  await importMembers(
    app,
    Array.from({ length: MEMBERS }, (_, n) => ({ externalId: `P-${n}` })),
    token,
  );
  const arms = new Map<string, 'TREATMENT' | 'CONTROL'>();
  for (let after: string | null = null; ; ) {
    const page: any = (await app.graphql(ARMS, { after }, token)).data!.members;
    for (const { node } of page.edges) {
      arms.set(node.externalId, node.experiments.find((entry: any) => entry.experiment.id === id).arm);
    }
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  // The same pattern per index within each arm: 0-2 orders before and during, plus, when the effect
  // is planted, one more during the pilot for every other treatment member.
  const seen = { TREATMENT: 0, CONTROL: 0 };
  const orders: Record<string, unknown>[] = [];
  for (const [externalId, arm] of arms) {
    const i = seen[arm]++;
    const base = i % 3;
    const during = base + (plantedEffect && arm === 'TREATMENT' && i % 2 === 0 ? 1 : 0);
    const place = (from: number, count: number, tag: string) => {
      for (let k = 0; k < count; k++)
        orders.push({
          memberExternalId: externalId,
          orderId: `${externalId}-${tag}-${k}`,
          placedAt: new Date(from + (1 + k * 7 + (i % 5)) * 86_400_000).toISOString(),
          currency: 'EUR',
          total: 2000 + 100 * (i % 4),
        });
    };
    // A first order months earlier: every member was a customer before the pilot (imported members take part by their history).
    place(Date.parse('2025-01-10T00:00:00Z'), 1, 'first');
    place(BEFORE, base, 'b');
    place(START, during, 'd');
  }
  for (let offset = 0; offset < orders.length; offset += 1000) await importOrders(app, orders.slice(offset, offset + 1000), { token });
  return { id, token };
}

describe('a pilot with a planted effect is detected, a null pilot is not', () => {
  let app: TestApp;
  const pilots: Record<'planted' | 'null', Pilot> = { planted: { id: '', token: '' }, null: { id: '', token: '' } };

  beforeAll(async () => {
    app = await createTestApp();
    pilots.planted = await runPilot(app, 'acme', true);
    pilots.null = await runPilot(app, 'globex', false);
  });
  afterAll(() => app.close());

  const report = async ({ id, token }: Pilot) => (await app.graphql(REPORT, { id }, token)).data!.experimentReport as Record<string, any>;
  const metric = (result: Record<string, any>, name: string) => result.comparisons.find((comparison: any) => comparison.metric === name);

  it('finds the planted lift in orders per member: significant, its interval around the true +0.5, and in the difference in differences', async () => {
    const result = await report(pilots.planted);
    expect(result.__typename).toBe('ExperimentReport');
    expect(result.treatment.during.members + result.control.during.members).toBe(MEMBERS);
    const orders = metric(result, 'ORDERS_PER_MEMBER');
    expect(orders.absoluteLift.significant).toBe(true);
    expect(orders.absoluteLift.low).toBeGreaterThan(0);
    expect(orders.absoluteLift.low).toBeLessThan(0.5);
    expect(orders.absoluteLift.high).toBeGreaterThan(0.5);
    expect(orders.differenceInDifferences.significant).toBe(true);
    expect(orders.differenceInDifferences.value).toBeCloseTo(0.5, 1);
    expect(metric(result, 'SPEND_PER_MEMBER').absoluteLift.significant).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('finds nothing in a pilot with no effect of its own: every interval holds 0', async () => {
    const result = await report(pilots.null);
    const orders = metric(result, 'ORDERS_PER_MEMBER');
    expect(orders.absoluteLift.significant).toBe(false);
    expect(orders.absoluteLift.low).toBeLessThan(0);
    expect(orders.absoluteLift.high).toBeGreaterThan(0);
  });
});
