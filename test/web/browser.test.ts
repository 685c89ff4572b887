import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/test-app';
import { launchChromium, listen, offlinePage, screenshot } from '../support/browser';
import { importMembers, importOrders } from '../support/history';
import { expectLedgerSound, UPDATE_RULES } from '../support/ledger';
import { RUN_JOB } from '../support/tiers';

/** The pages the app serves, in a real headless Chromium that may load nothing from outside the app. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** GraphiQL's 5 MB bundle and its editor workers take a while to compile on a busy machine. */
const GRAPHIQL_TIMEOUT = 60_000;

describe('GraphiQL at /graphql', () => {
  it('renders offline with its development token and runs a query', { timeout: GRAPHIQL_TIMEOUT }, async () => {
    const app = await createTestApp({ env: { ENVIRONMENT: 'development', DEFAULT_PROGRAM_ID: 'acme' } });
    const server = await listen(app.app);
    try {
      const { page, foreignRequests, requests } = await offlinePage(browser, server.origin);
      await page.goto(`${server.origin}/graphql`);
      page.setDefaultTimeout(GRAPHIQL_TIMEOUT / 2);
      // Monaco shows the query editor once GraphiQL's bundle, stylesheet and workers have loaded.
      await page.locator('.graphiql-query-editor .monaco-editor').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{ program { name } }');
      await page.locator('.graphiql-execute-button').click();
      // Monaco renders spaces as no-break spaces, which \s matches.
      await page.locator('.graphiql-response', { hasText: /"name":\s"Acme\sCoffee"/ }).waitFor();
      await screenshot(page, 'graphiql');
      expect(foreignRequests).toEqual([]);
      expect(requests).toContain(`${server.origin}/assets/graphiql/graphiql.js`);
    } finally {
      await server.close();
      app.close();
    }
  });
});

// ——— /insights against a program with a year of history, seeded through the public API ———

/** Two years of months, oldest first: 2024-12 … 2026-11 (the test clock's "now" is 2026-11-23). */
const MONTHS = Array.from({ length: 24 }, (_, index) => new Date(Date.UTC(2024, 11 + index, 1)).toISOString().slice(0, 7));
const MEMBERS = 100;
const PILOT = { startsAt: '2026-08-01T00:00:00.000Z', endsAt: '2026-11-01T00:00:00.000Z' };
/** The period the page is opened on: the last twelve months, with a 90-day activity window. */
const RANGE = { from: '2025-12-01', to: '2026-11-22', window: 90 };
const API_RANGE = { from: '2025-12-01T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', window: 90 };

const CREATE_EXPERIMENT = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) {
  __typename ... on ExperimentPayload { experiment { id } } ... on Error { code message } } }`;
const ARMS = `{ members(first: 100) { edges { node { externalId experiments { arm } } } } }`;

/** A seeded pseudo-random sequence in [0, 1) (mulberry32), so that the history is the same at every run. */
function randomSequence(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Two years of history, seeded through the public API: members join over time and buy less and less
 * often; orders earn points that expire after 12 months, so the liability spreads over the coming
 * year (older ones have expired). A pilot runs from August to October, and its treatment arm buys more often meanwhile.
 */
async function seedHistory(app: TestApp): Promise<{ experimentId: string }> {
  const admin = await app.token({ role: 'admin' });
  const rules = await app.graphql(UPDATE_RULES, { input: { pointsLifetimeMonths: 12 } }, admin);
  expect(rules.data?.updateProgramRules?.__typename, JSON.stringify(rules)).toBe('ProgramRulesPayload');
  const members = Array.from({ length: MEMBERS }, (_, index) => ({ externalId: `m-${index}`, email: `m-${index}@example.com` }));
  expect((await importMembers(app, members)).created).toBe(MEMBERS);
  const experiment = await app.graphql(
    CREATE_EXPERIMENT,
    { input: { name: 'Double points pilot', holdoutBasisPoints: 5_000, ...PILOT } },
    admin,
  );
  expect(experiment.data?.createExperiment?.__typename, JSON.stringify(experiment)).toBe('ExperimentPayload');
  const arms = await app.graphql(ARMS, {}, admin);
  const treated = new Set(
    arms
      .data!.members.edges.filter(
        (edge: { node: { experiments: Array<{ arm: string }> } }) => edge.node.experiments[0]?.arm === 'TREATMENT',
      )
      .map((edge: { node: { externalId: string } }) => edge.node.externalId),
  );

  const random = randomSequence(14);
  const orders = members.flatMap((member, index) => {
    const joined = Math.floor(random() * MONTHS.length);
    return MONTHS.slice(joined).flatMap((month, since) => {
      const inPilot = month >= PILOT.startsAt.slice(0, 7) && month < PILOT.endsAt.slice(0, 7);
      const chance = since === 0 ? 1 : 0.55 * 0.9 ** since + (inPilot && treated.has(member.externalId) ? 0.3 : 0);
      if (random() >= chance) return [];
      const day = 1 + Math.floor(random() * 22);
      return [
        {
          orderId: `${member.externalId}-${month}`,
          memberExternalId: member.externalId,
          placedAt: `${month}-${String(day).padStart(2, '0')}T12:00:00.000Z`,
          total: 800 + Math.floor(random() * 30) * 50 + (index % 3) * 100,
          currency: 'EUR',
        },
      ];
    });
  });
  expect(await importOrders(app, orders, { earnPoints: true })).toMatchObject({ imported: orders.length, rejected: [] });
  // Points whose twelve months are over expire: breakage so far.
  const expired = await app.graphql(RUN_JOB, { input: { job: 'EXPIRE_POINTS' } }, admin);
  expect(expired.data?.runJob?.__typename, JSON.stringify(expired)).toBe('RunJobPayload');
  return { experimentId: experiment.data!.createExperiment.experiment.id };
}

/** What the API itself says, to hold the page's tables against. */
const EXPECTED = `query($from: DateTime!, $to: DateTime!, $window: Int!, $experimentId: ID!) {
  retentionSeries(from: $from, to: $to, period: MONTH, activityWindowDays: $window) { ... on RetentionSeries { points { from rate } } }
  cohorts(to: $to, months: 12) { ... on CohortTable { cohorts { month members cells { monthsSince share } } } }
  experimentReport(id: $experimentId) { ... on ExperimentReport { comparisons { metric relativeLift { value } } } }
  liability { ... on LiabilityReport { byExpiryMonth { month points value } } }
}`;

const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const percent = (value: number | null) => (value === null ? '–' : `${decimal.format(value)} %`);
const signedPercentOfFraction = (value: number | null) =>
  value === null ? '–' : `${value > 0 ? '+' : ''}${decimal.format(value * 100)} %`;

/** The body cells of a section's table, row by row. */
const tableRows = (page: Page, section: string) =>
  page.$$eval(`#${section} table tbody tr`, (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')));

/** How many pixels of the section's canvas the chart painted, and how many values it says it plots. */
const chartInk = (page: Page, section: string) =>
  page.$eval(`#${section} canvas`, (element) => {
    const canvas = element as HTMLCanvasElement;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha]! > 0) painted++;
    return { painted, points: Number(canvas.dataset.points) };
  });

const SECTIONS = ['retention', 'cohorts', 'experiment', 'liability'];

const allSectionsLoaded = (page: Page) =>
  page.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.getAttribute('aria-busy') === 'false'), SECTIONS);

async function signIn(page: Page, token: string) {
  await page.fill('#token', token);
  await page.click('#sign-in button[type=submit]');
}

describe('the insights page at /insights', () => {
  let app: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  let experimentId: string;

  beforeAll(async () => {
    app = await createTestApp();
    ({ experimentId } = await seedHistory(app));
    server = await listen(app.app);
  });
  afterAll(async () => {
    await server?.close();
    app?.close();
  });

  it('signs in with an admin token and draws every chart, with tables that say what the API says, loading nothing from outside', async () => {
    const { page, foreignRequests } = await offlinePage(browser, server.origin);
    await page.goto(`${server.origin}/insights?from=${RANGE.from}&to=${RANGE.to}&period=MONTH&window=${RANGE.window}`);
    await signIn(page, await app.token({ role: 'admin' }));
    await page.locator('#dashboard').waitFor();
    await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.getAttribute('aria-busy') === 'false'), SECTIONS);
    await screenshot(page, 'insights');
    await page.$$eval('details', (all) => all.forEach((details) => (details.open = true)));
    await screenshot(page, 'insights-tables');

    for (const section of SECTIONS) {
      expect(
        await page.locator(`#${section} .error`).isVisible(),
        `${section}: ${await page.locator(`#${section} .error`).textContent()}`,
      ).toBe(false);
      expect(await page.isVisible(`#${section} .empty`), section).toBe(false);
      const ink = await chartInk(page, section);
      expect(ink.points, section).toBeGreaterThan(0);
      expect(ink.painted, section).toBeGreaterThan(2_000);
    }
    expect(await page.textContent('#signed-in-as')).toBe('Program: Acme Coffee');

    const expected = await app.graphql(EXPECTED, { ...API_RANGE, experimentId }, await app.token({ role: 'admin' }));
    expect(expected.errors, JSON.stringify(expected.errors)).toBeUndefined();
    const { retentionSeries, cohorts, experimentReport, liability } = expected.data!;

    const retention = await tableRows(page, 'retention');
    expect(retention.map((row) => [row[0], row[4]])).toEqual(
      retentionSeries.points.map((point: { from: string; rate: number | null }) => [point.from.slice(0, 10), percent(point.rate)]),
    );
    expect(retentionSeries.points.some((point: { rate: number | null }) => point.rate !== null)).toBe(true);

    const cohortRows = await tableRows(page, 'cohorts');
    expect(cohortRows).toHaveLength(cohorts.cohorts.length);
    cohorts.cohorts.forEach((cohort: { members: number; cells: Array<{ monthsSince: number; share: number }> }, index: number) => {
      const row = cohortRows[index]!;
      expect(row[1]).toBe(decimal.format(cohort.members));
      for (const cell of cohort.cells) expect(row[2 + cell.monthsSince]).toBe(percent(cell.share));
    });

    const experimentRows = await tableRows(page, 'experiment');
    expect(experimentRows.map((row) => row[5])).toEqual(
      experimentReport.comparisons.map((comparison: { relativeLift: { value: number } | null }) =>
        signedPercentOfFraction(comparison.relativeLift?.value ?? null),
      ),
    );
    expect(await page.textContent('#experiment-warning')).toMatch(/Treatment: \d+ members/);

    const liabilityRows = await tableRows(page, 'liability');
    expect(liabilityRows.map((row) => row[1])).toEqual(
      liability.byExpiryMonth.map((bucket: { points: number }) => decimal.format(bucket.points)),
    );
    expect(liability.byExpiryMonth.length).toBeGreaterThan(1);

    expect(foreignRequests).toEqual([]);
    await page.context().close();
    await expectLedgerSound(app);
  });

  it("shows the API's own error in the section it concerns, and the other sections stay", async () => {
    const { page } = await offlinePage(browser, server.origin);
    await page.goto(`${server.origin}/insights?from=${RANGE.from}&to=${RANGE.to}`);
    await signIn(page, await app.token({ role: 'admin' }));
    await page.locator('#dashboard').waitFor();
    await allSectionsLoaded(page);
    // A year by day is more periods than retentionSeries answers (InvalidInputError).
    await page.selectOption('#period', 'DAY');
    await page.click('#filters button[type=submit]');
    const error = page.locator('#retention .error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Could not load this section: period: at most \d+ periods.*\(INVALID_INPUT\)$/);
    expect(await page.isVisible('#retention canvas')).toBe(false);
    await allSectionsLoaded(page);
    expect(await page.isVisible('#liability canvas')).toBe(true);
    expect(page.url()).toContain('period=DAY');
    await page.context().close();
  });

  it("says when there is nothing to draw: another program's admin sees none of this one's history", async () => {
    const { page } = await offlinePage(browser, server.origin);
    await page.goto(`${server.origin}/insights?from=${RANGE.from}&to=${RANGE.to}`);
    await signIn(page, await app.token({ role: 'admin', programId: 'globex' }));
    await page.locator('#dashboard').waitFor();
    await allSectionsLoaded(page);
    expect(await page.textContent('#signed-in-as')).toBe('Program: Globex Books');
    for (const section of ['retention', 'cohorts', 'liability']) {
      expect(await page.isVisible(`#${section} .empty`), section).toBe(true);
      expect((await chartInk(page, section)).points, section).toBe(0);
    }
    expect(await page.textContent('#experiment-warning')).toMatch(/^No experiment yet/);
    expect(await page.isVisible('#experiment canvas')).toBe(false);
    await page.context().close();
  });

  it('keeps the token for the tab: a reload stays signed in, signing out forgets it', async () => {
    const { page } = await offlinePage(browser, server.origin);
    await page.goto(`${server.origin}/insights?from=${RANGE.from}&to=${RANGE.to}`);
    await signIn(page, await app.token({ role: 'admin' }));
    await page.locator('#dashboard').waitFor();
    await page.reload();
    await page.locator('#dashboard').waitFor();
    await page.click('#sign-out');
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.reload();
    expect(await page.isVisible('#sign-in')).toBe(true);
    await page.context().close();
  });

  it('says plainly why a token is refused: not a token, expired, or not an admin', async () => {
    const { page, foreignRequests } = await offlinePage(browser, server.origin);
    await page.goto(`${server.origin}/insights`);
    const cases: Array<[string, RegExp]> = [
      ['not-a-token', /^Sign-in failed: .+\(UNAUTHENTICATED\)\.$/],
      [await app.token({ role: 'admin', expiresIn: '-1h' }), /^Sign-in failed: .*expired.*\(UNAUTHENTICATED\)\.$/i],
      [
        await app.token({ role: 'storefront' }),
        /^Sign-in failed: Not allowed for this token \(FORBIDDEN\)\. The insights need an admin token\.$/,
      ],
    ];
    for (const [token, message] of cases) {
      await signIn(page, token);
      await page.locator('#error').waitFor();
      expect(await page.textContent('#error')).toMatch(message);
      expect(await page.isVisible('#dashboard')).toBe(false);
    }
    await screenshot(page, 'insights-refused');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(foreignRequests).toEqual([]);
    await page.context().close();
  });
});
