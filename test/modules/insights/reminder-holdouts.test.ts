import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMembers, importOrders } from '../../support/history';
import { readEvents } from '../../support/events';
import { remindersOf, runReminders, setReminderSettings } from '../../support/reminders';
import { createTestApp, type TestApp } from '../../support/test-app';

const CREATE_EXPERIMENT = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { ... on ExperimentPayload { experiment { id } } } }`;
const MEMBERS = `{ members(first: 100) { edges { node { id externalId experiments { arm } inGlobalControlGroup } } } }`;
const EXPOSURES = `query($id: ID!) { experiment(id: $id) { exposures { treatment control } } }`;
const SET_GLOBAL = `mutation($bp: Int!) { setGlobalControlGroup(input: { basisPoints: $bp }) { __typename } }`;

describe('reminders skip held-out members', () => {
  let app: TestApp;
  let experimentId: string;
  let token: string;
  beforeAll(async () => {
    app = await createTestApp();
    token = await app.token({ role: 'admin' });
    const created = await app.graphql(
      CREATE_EXPERIMENT,
      { input: { name: 'Win-back pilot', holdoutBasisPoints: 5000, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-12-31T00:00:00Z' } },
      token,
    );
    experimentId = created.data!.createExperiment.experiment.id;
    const externalIds = Array.from({ length: 12 }, (_, n) => `L-${n}`);
    await importMembers(
      app,
      externalIds.map((externalId) => ({ externalId, email: `${externalId}@example.com`, consents: { email: true } })),
    );
    await importOrders(
      app,
      externalIds.map((externalId) => ({
        memberExternalId: externalId,
        orderId: `W-${externalId}`,
        placedAt: '2026-10-09T10:00:00.000Z',
        currency: 'EUR',
        total: 1000,
      })),
    );
    await setReminderSettings(app, {
      pointsExpiringLeadDays: [],
      birthdayLeadDays: [],
      lapsedAfterDays: [45],
      quietHours: null,
      experimentId,
    });
  });
  afterAll(() => app.close());

  it('suppresses a due reminder of a control member (holdout), sends the treatment’s, and records both as exposed', async () => {
    await runReminders(app, '2026-11-23T10:00:00.000Z');
    const members = (await app.graphql(MEMBERS, {}, token)).data!.members.edges.map((edge: any) => edge.node);
    const armOf = new Map(members.map((member: any) => [member.id, member.experiments[0].arm]));
    const reminders = await remindersOf(app, { type: 'MEMBER_LAPSED' });
    expect(reminders).toHaveLength(12);
    for (const reminder of reminders) {
      const memberGlobalId = reminder.memberId;
      if (armOf.get(memberGlobalId) === 'CONTROL') expect(reminder).toMatchObject({ status: 'SUPPRESSED', suppressedBecause: 'holdout' });
      else expect(reminder).toMatchObject({ status: 'SENT', suppressedBecause: null });
    }
    const control = [...armOf.values()].filter((arm) => arm === 'CONTROL').length;
    expect(control).toBeGreaterThan(0);
    expect(control).toBeLessThan(12);
    const events = await readEvents(app, { types: ['member.lapsed'] });
    expect(events).toHaveLength(12 - control);
    const exposures = (await app.graphql(EXPOSURES, { id: experimentId }, token)).data!.experiment.exposures;
    expect(exposures).toEqual({ treatment: 12 - control, control });
  });

  it('keeps the global control group out of every reminder', async () => {
    await setReminderSettings(app, { experimentId: null, lapsedAfterDays: [60] });
    await app.graphql(SET_GLOBAL, { bp: 5000 }, token);
    await runReminders(app, '2026-12-08T10:00:00.000Z');
    const members = (await app.graphql(MEMBERS, {}, token)).data!.members.edges.map((edge: any) => edge.node);
    const global = new Set(members.filter((member: any) => member.inGlobalControlGroup).map((member: any) => member.id));
    expect(global.size).toBeGreaterThan(0);
    const reminders = (await remindersOf(app, { type: 'MEMBER_LAPSED' })).filter((reminder) => reminder.reason.includes('60'));
    expect(reminders).toHaveLength(12);
    for (const reminder of reminders) expect(reminder.suppressedBecause === 'holdout').toBe(global.has(reminder.memberId));
  });
});
