import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSoundly } from '../../support/ledger';
import { enroll } from '../../support/members';
import { createOffer, quote, recordOrder } from '../../support/offers';

import { createTestApp, type TestApp } from '../../support/test-app';

const CREATE_EXPERIMENT = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { __typename
  ... on ExperimentPayload { experiment { id name holdoutBasisPoints status } } ... on Error { code message } } }`;
const ARMS = `query($id: ID!) { member(id: $id) { experiments { experiment { id } arm } inGlobalControlGroup } }`;
const EXPERIMENT = `query($id: ID!) { experiment(id: $id) { status exposures { treatment control } } }`;
const SET_GLOBAL = `mutation($bp: Int!) { setGlobalControlGroup(input: { basisPoints: $bp }) { __typename
  ... on GlobalControlGroupPayload { globalControlGroup { basisPoints } } ... on Error { code message } } }`;

const cart = { total: 2000, lines: [{ sku: 'TEA', quantity: 2, unitPrice: 1000 }] };

async function admin(app: TestApp, query: string, variables: Record<string, unknown>) {
  const response = await app.graphql(query, variables, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as Record<string, any>;
}

describe('experiments: holdouts at checkout', () => {
  let app: TestApp;
  let experimentId: string;
  let offerId: string;
  const members: Array<{ globalId: string; memberId: string; arm: string }> = [];

  beforeAll(async () => {
    app = await createTestApp();
    const created = await admin(app, CREATE_EXPERIMENT, {
      input: { name: 'Tea pilot', holdoutBasisPoints: 5000, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' },
    });
    expect(created.createExperiment).toMatchObject({ __typename: 'ExperimentPayload', experiment: { status: 'RUNNING' } });
    experimentId = created.createExperiment.experiment.id;
    offerId = (await createOffer(app, { effect: { percentOff: { basisPoints: 1000 } }, conditions: { experimentId } })).id;
    for (let n = 0; n < 16; n++) {
      const member = await enroll(app, { externalId: `x-${n}` });
      const arms = await admin(app, ARMS, { id: member.globalId });
      members.push({ ...member, arm: arms.member.experiments[0].arm });
    }
  });
  afterAll(() => closeSoundly(app));

  it('splits members into both arms, each member in one arm that stays the same on every read', async () => {
    expect(new Set(members.map((member) => member.arm))).toEqual(new Set(['TREATMENT', 'CONTROL']));
    for (const member of members.slice(0, 4))
      expect((await admin(app, ARMS, { id: member.globalId })).member.experiments).toEqual([
        { experiment: { id: experimentId }, arm: member.arm },
      ]);
  });

  it('gives the offer to treatment, holds it back from control with HOLDOUT, and quote and recordOrder agree', async () => {
    for (const member of members.slice(0, 8)) {
      const quoted = await quote(app, { memberId: member.globalId, ...cart });
      const recorded = await recordOrder(app, { memberId: member.globalId, ...cart });
      expect(recorded.__typename).toBe('RecordOrderPayload');
      for (const result of [quoted, recorded]) {
        if (member.arm === 'TREATMENT') {
          expect(result.discount.amount).toBe(200);
          expect(result.appliedOffers.map((applied: any) => applied.offer?.id)).toContain(offerId);
        } else {
          expect(result.discount.amount).toBe(0);
          expect(result.notApplied).toContainEqual(expect.objectContaining({ offerId, reason: 'HOLDOUT' }));
        }
      }
    }
  });

  it('records treatment exposures and control would-have-been exposures with the order', async () => {
    const firstEight = members.slice(0, 8);
    const experiment = (await admin(app, EXPERIMENT, { id: experimentId })).experiment;
    expect(experiment.exposures).toEqual({
      treatment: firstEight.filter((member) => member.arm === 'TREATMENT').length,
      control: firstEight.filter((member) => member.arm === 'CONTROL').length,
    });
  });

  it('holds nobody out once the experiment has ended', async () => {
    const later = await createTestApp({ now: '2026-12-05T00:00:00.000Z' });
    try {
      const made = await admin(later, CREATE_EXPERIMENT, {
        input: { name: 'Over', holdoutBasisPoints: 9999, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' },
      });
      const id = made.createExperiment.experiment.id;
      const offer = await createOffer(later, { effect: { percentOff: { basisPoints: 1000 } }, conditions: { experimentId: id } });
      const member = await enroll(later, { externalId: 'late' });
      expect((await admin(later, ARMS, { id: member.globalId })).member.experiments[0].arm).toBe('CONTROL');
      const quoted = await quote(later, { memberId: member.globalId, ...cart });
      expect(quoted.appliedOffers.map((applied: any) => applied.offer?.id)).toContain(offer.id);
    } finally {
      later.close();
    }
  });

  it('keeps the global control group out of automatic offers, but not out of codes it enters', async () => {
    expect((await admin(app, SET_GLOBAL, { bp: 5000 })).setGlobalControlGroup).toMatchObject({ globalControlGroup: { basisPoints: 5000 } });
    const automatic = await createOffer(app, { effect: { amountOff: { amount: 100 } } });
    const coded = await createOffer(app, { codeRequired: true, effect: { amountOff: { amount: 50 } } });
    await admin(app, `mutation { createPromoCode(input: { offerId: "${coded.id}", code: "HELLO" }) { __typename } }`, {});
    const flags = await Promise.all(
      members.map(async (member) => (await admin(app, ARMS, { id: member.globalId })).member.inGlobalControlGroup),
    );
    expect(new Set(flags)).toEqual(new Set([true, false]));
    for (const [index, member] of members.entries()) {
      const quoted = await quote(app, { memberId: member.globalId, codes: ['HELLO'], ...cart });
      const appliedIds = quoted.appliedOffers.map((applied: any) => applied.offer?.id);
      expect(appliedIds).toContain(coded.id);
      if (flags[index]) expect(quoted.notApplied).toContainEqual(expect.objectContaining({ offerId: automatic.id, reason: 'HOLDOUT' }));
      else expect(appliedIds).toContain(automatic.id);
    }
    await admin(app, SET_GLOBAL, { bp: 0 });
  });

  it('refuses a holdout outside 1-9999 and an experiment that ends before it starts', async () => {
    const bad = await admin(app, CREATE_EXPERIMENT, {
      input: { name: 'x', holdoutBasisPoints: 0, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-10-01T00:00:00Z' },
    });
    expect(bad.createExperiment).toMatchObject({ code: 'INVALID_INPUT' });
    const backwards = await admin(app, CREATE_EXPERIMENT, {
      input: { name: 'x', holdoutBasisPoints: 10, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-10-01T00:00:00Z' },
    });
    expect(backwards.createExperiment).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('is for admins only, and no program sees another one’s experiment', async () => {
    for (const role of ['storefront', 'member', 'partner'] as const) {
      const token = await app.token({ role, subject: members[0]!.memberId, partnerId: 'beans-inc' });
      const response = await app.graphql(EXPERIMENT, { id: experimentId }, token);
      expect(response.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const report = await app.graphql(`query($id: ID!) { experimentReport(id: $id) { __typename } }`, { id: experimentId }, token);
      expect(report.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
    }
    const globex = await app.token({ role: 'admin', programId: 'globex' });
    expect((await app.graphql(EXPERIMENT, { id: experimentId }, globex)).data?.experiment).toBeNull();
    const report = await adminQueryAs(app, globex, experimentId);
    expect(report).toMatchObject({ __typename: 'ExperimentNotFoundError', code: 'EXPERIMENT_NOT_FOUND' });
  });
});

async function adminQueryAs(app: TestApp, token: string, id: string) {
  const response = await app.graphql(
    `query($id: ID!) { experimentReport(id: $id) { __typename ... on Error { code message } } }`,
    { id },
    token,
  );
  return response.data!.experimentReport as Record<string, any>;
}
