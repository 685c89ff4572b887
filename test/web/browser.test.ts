import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/test-app';
import { launchChromium, listen, offlinePage, screenshot } from '../support/browser';
import { importMembers, importOrders } from '../support/history';
import { expectLedgerSound, mutate, UPDATE_RULES } from '../support/ledger';

/** The pages the app serves, in a real headless Chromium that may load nothing from outside the app. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('GraphiQL at /graphql', () => {
  it('renders offline with its development token and runs a query', async () => {
    const app = await createTestApp({ env: { ENVIRONMENT: 'development', DEFAULT_PROGRAM_ID: 'acme' } });
    const server = await listen(app.app);
    try {
      const { page, foreignRequests, requests } = await offlinePage(browser, server.origin);
      await page.goto(`${server.origin}/graphql`);
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

const MONTHS = [
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
  '2026-09',
  '2026-10',
  '2026-11',
];
const MEMBERS = 60;
/** The period the page is opened on (the test clock's "now" is 2026-11-23). */
const RANGE = { from: '2025-12-01', to: '2026-11-22' };
const API_RANGE = { from: '2025-12-01T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' };

const CREATE_EXPERIMENT = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) {
  __typename ... on ExperimentPayload { experiment { id } } ... on Error { code message } } }`;

/**
 * Members join over the year (one cohort a month) and come back in a pattern of their own; orders
 * earn points that expire after 12 months, so the liability spreads over the coming year. A pilot
 * runs from August to October.
 */
async function seedHistory(app: TestApp): Promise<{ experimentId: string }> {
  await mutate(app, UPDATE_RULES, { pointsLifetimeMonths: 12 });
  const members = Array.from({ length: MEMBERS }, (_, index) => ({ externalId: `m-${index}`, email: `m-${index}@example.com` }));
  expect((await importMembers(app, members)).created).toBe(MEMBERS);
  const orders = members.flatMap((member, index) => {
    const joined = index % 10;
    return MONTHS.slice(joined)
      .filter((_, since) => since === 0 || (index * 7 + since * 3) % 5 < 3)
      .map((month) => ({
        orderId: `${member.externalId}-${month}`,
        memberExternalId: member.externalId,
        placedAt: `${month}-${String(3 + (index % 17)).padStart(2, '0')}T12:00:00.000Z`,
        total: 1_000 + (index % 7) * 250,
        currency: 'EUR',
      }));
  });
  const imported = await importOrders(app, orders, { earnPoints: true });
  expect(imported).toMatchObject({ imported: orders.length, rejected: [] });
  const experiment = await app.graphql(
    CREATE_EXPERIMENT,
    {
      input: {
        name: 'Double points pilot',
        holdoutBasisPoints: 5_000,
        startsAt: '2026-08-01T00:00:00.000Z',
        endsAt: '2026-11-01T00:00:00.000Z',
      },
    },
    await app.token({ role: 'admin' }),
  );
  expect(experiment.data?.createExperiment?.__typename, JSON.stringify(experiment)).toBe('ExperimentPayload');
  return { experimentId: experiment.data!.createExperiment.experiment.id };
}

/** What the API itself says, to hold the page's tables against. */
const EXPECTED = `query($from: DateTime!, $to: DateTime!, $experimentId: ID!) {
  retentionSeries(from: $from, to: $to, period: MONTH) { ... on RetentionSeries { points { from rate } } }
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
    await page.goto(`${server.origin}/insights?from=${RANGE.from}&to=${RANGE.to}&period=MONTH`);
    await signIn(page, await app.token({ role: 'admin' }));
    await page.locator('#dashboard').waitFor();
    await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.getAttribute('aria-busy') === 'false'), SECTIONS);
    await page.$$eval('details', (all) => all.forEach((details) => (details.open = true)));
    await screenshot(page, 'insights');

    for (const section of SECTIONS) {
      expect(
        await page.locator(`#${section} .error`).isVisible(),
        `${section}: ${await page.locator(`#${section} .error`).textContent()}`,
      ).toBe(false);
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
      ['not-a-token', /^Sign-in failed: .+\(UNAUTHENTICATED\)$/],
      [await app.token({ role: 'admin', expiresIn: '-1h' }), /^Sign-in failed: .*expired.*\(UNAUTHENTICATED\)$/i],
      [await app.token({ role: 'storefront' }), /^Sign-in failed: .+\((FORBIDDEN|UNAUTHORIZED)\)$/],
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
