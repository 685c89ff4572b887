/**
 * The insights page (/insights): signs in with a pasted admin token, kept in this tab's session
 * storage only, and draws retention, cohorts, an experiment's lift and the points liability from the
 * GraphQL API of the same server. Each section loads on its own and says plainly what went wrong.
 */
import { ApiError } from './api';
import { drawCohorts, drawLiability, drawLift, drawRetention } from './charts';
import * as format from './format';
import { cohorts, experimentReport, liability, openSession, retentionOverTime, type Period, type Session } from './queries';
import { fillCohortTable, fillExperimentTable, fillLiabilityTable, fillRetentionTable, fillSummary } from './tables';

const TOKEN_KEY = 'edge-loyalty.insights.token';
/** The cohort table's rows: first-order months up to the end of the period, at most two years of them. */
const MAX_COHORT_MONTHS = 24;

const byId = <Element extends HTMLElement>(id: string) => document.getElementById(id) as Element;

const page = {
  signIn: byId<HTMLFormElement>('sign-in'),
  token: byId<HTMLTextAreaElement>('token'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  signedInAs: byId<HTMLParagraphElement>('signed-in-as'),
  error: byId<HTMLParagraphElement>('error'),
  dashboard: byId<HTMLDivElement>('dashboard'),
  filters: byId<HTMLFormElement>('filters'),
  from: byId<HTMLInputElement>('from'),
  to: byId<HTMLInputElement>('to'),
  period: byId<HTMLSelectElement>('period'),
  activityWindow: byId<HTMLInputElement>('window'),
  experiment: byId<HTMLSelectElement>('experiment-id'),
  experimentWarning: byId<HTMLParagraphElement>('experiment-warning'),
};

let session: (Session & { token: string }) | undefined;

function explain(error: unknown): string {
  if (error instanceof ApiError) return error.code ? `${error.message} (${error.code})` : error.message;
  return error instanceof Error ? error.message : String(error);
}

function showError(element: HTMLElement, message: string | undefined): void {
  element.textContent = message ?? '';
  element.hidden = message === undefined;
}

/** The latest load of each section: an answer to an earlier one (the filters changed since) is dropped. */
const latestLoad = new Map<string, number>();

/**
 * Loads one section: busy while it loads, then shows what came back, or its own error (and hides its
 * chart) when the request failed.
 */
async function loadSection<Data>(
  id: string,
  fetchData: () => Promise<Data>,
  show: (section: HTMLElement, data: Data) => void,
): Promise<void> {
  const section = byId<HTMLElement>(id);
  const errorLine = section.querySelector<HTMLElement>('.error')!;
  const load = (latestLoad.get(id) ?? 0) + 1;
  latestLoad.set(id, load);
  section.setAttribute('aria-busy', 'true');
  let data: Data;
  let failure: unknown;
  try {
    data = await fetchData();
  } catch (error) {
    failure = error;
  }
  if (latestLoad.get(id) !== load) return;
  try {
    if (failure !== undefined) throw failure;
    show(section, data!);
    showError(errorLine, undefined);
    section.classList.remove('failed');
  } catch (reason) {
    showError(errorLine, `Could not load this section: ${explain(reason)}`);
    section.classList.add('failed');
  }
  section.setAttribute('aria-busy', 'false');
}

const canvasOf = (section: HTMLElement) => section.querySelector('canvas')!;
const tableOf = (section: HTMLElement) => section.querySelector('table')!;

/** The chosen days as the API's instants: from the start of the first day to the end of the last. */
function range(): { from: string; to: string } {
  const to = new Date(`${page.to.value}T00:00:00.000Z`);
  to.setUTCDate(to.getUTCDate() + 1);
  return { from: `${page.from.value}T00:00:00.000Z`, to: to.toISOString() };
}

function loadRetention(token: string) {
  const { from, to } = range();
  const query = { from, to, period: page.period.value as Period, activityWindowDays: page.activityWindow.valueAsNumber };
  return loadSection(
    'retention',
    () => retentionOverTime(token, query),
    (section, result) => {
      const { total } = result;
      fillSummary(byId('retention-summary'), [
        ['Customers at the start (S)', format.count(total.customersAtStart)],
        ['Customers at the end (E)', format.count(total.customersAtEnd)],
        ['New customers (N)', format.count(total.newCustomers)],
        ['Retention rate ((E − N) / S × 100)', format.optional(total.rate, format.percent)],
        ['Churn (100 − retention rate)', format.optional(total.churn, format.percent)],
        ...(total.undefinedReason ? ([['Why no rate', total.undefinedReason]] as Array<[string, string]>) : []),
      ]);
      drawRetention(canvasOf(section), result.periods, result.purchases);
      fillRetentionTable(tableOf(section), result.periods, result.purchases, result.currency);
    },
  );
}

/** Months from the first chosen day's month to the last's, inclusive, capped. */
function cohortMonths(): number {
  const [fromYear, fromMonth] = page.from.value.split('-').map(Number);
  const [toYear, toMonth] = page.to.value.split('-').map(Number);
  const months = (toYear! - fromYear!) * 12 + (toMonth! - fromMonth!) + 1;
  return Math.max(1, Math.min(MAX_COHORT_MONTHS, months));
}

function loadCohorts(token: string) {
  const to = range().to;
  const months = cohortMonths();
  return loadSection(
    'cohorts',
    () => cohorts(token, to, months),
    (section, table) => {
      drawCohorts(canvasOf(section), table);
      fillCohortTable(tableOf(section), table);
    },
  );
}

function loadExperiment(token: string, currency: string) {
  const id = page.experiment.value;
  return loadSection(
    'experiment',
    async () => (id ? experimentReport(token, id) : null),
    (section, report) => {
      section.querySelector('figure')!.hidden = section.querySelector('details')!.hidden = !report;
      if (!report) {
        showError(page.experimentWarning, 'No experiment yet: create one with the createExperiment mutation, then reload this page.');
        return;
      }
      const { treatment, control } = report;
      const arm = (name: string, figures: { members: number; buyers: number }) =>
        `${name}: ${format.count(figures.members)} members (${format.count(figures.buyers)} buyers)`;
      showError(
        page.experimentWarning,
        [`${arm('Treatment', treatment.during)}; ${arm('control', control.during)}.`, ...report.warnings].join(' '),
      );
      drawLift(canvasOf(section), report.comparisons);
      fillExperimentTable(tableOf(section), report.comparisons, currency);
    },
  );
}

function loadLiability(token: string) {
  return loadSection(
    'liability',
    () => liability(token),
    (section, report) => {
      const money = (value: number) => format.money(value, report.currency);
      fillSummary(byId('liability-summary'), [
        ['As of', report.asOf],
        ['Outstanding points', format.count(report.outstandingPoints)],
        ['Their value', money(report.outstandingValue)],
        ['Wallets: cash', money(report.wallet.cash)],
        ['Wallets: bonus', money(report.wallet.bonus)],
        ['Breakage so far (expired / earned)', format.optional(report.breakageRate, format.percent)],
        ['Redemption rate', format.optional(report.redemptionRate, format.percent)],
      ]);
      drawLiability(canvasOf(section), report);
      fillLiabilityTable(tableOf(section), report);
    },
  );
}

async function loadAll(): Promise<void> {
  if (!session) return;
  const { token, currency } = session;
  await Promise.all([loadRetention(token), loadCohorts(token), loadExperiment(token, currency), loadLiability(token)]);
}

function showExperiments(current: Session): void {
  page.experiment.replaceChildren(
    ...current.experiments.map((experiment) => {
      const option = document.createElement('option');
      option.value = experiment.id;
      option.textContent = `${experiment.name} (${experiment.status.toLowerCase()}, ${format.day(experiment.startsAt)} to ${format.day(experiment.endsAt)})`;
      return option;
    }),
  );
  page.experiment.disabled = current.experiments.length === 0;
}

async function signIn(token: string): Promise<void> {
  showError(page.error, undefined);
  try {
    const opened = await openSession(token);
    session = { ...opened, token };
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    const hint = error instanceof ApiError && error.code === 'FORBIDDEN' ? ' The insights need an admin token.' : '';
    const reason = explain(error);
    showError(page.error, `Sign-in failed: ${reason}${/[.!?]$/.test(reason) ? '' : '.'}${hint}`);
    page.signIn.hidden = false;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  page.token.value = '';
  page.signIn.hidden = true;
  page.signOut.hidden = false;
  page.signedInAs.hidden = false;
  page.signedInAs.textContent = `Program: ${session.programName}`;
  page.dashboard.hidden = false;
  showExperiments(session);
  await loadAll();
}

function signOut(): void {
  session = undefined;
  sessionStorage.removeItem(TOKEN_KEY);
  page.dashboard.hidden = true;
  page.signOut.hidden = true;
  page.signedInAs.hidden = true;
  page.signIn.hidden = false;
  page.token.value = '';
  page.token.focus();
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The view from the address (`?from=2026-01-01&to=2026-06-30&period=WEEK&window=90`, so that it can
 * be shared), else the last twelve months up to today (UTC), by month, with a 365-day activity window.
 */
function initialRange(): void {
  const params = new URLSearchParams(location.search);
  const today = new Date();
  const yearAgo = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate()));
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  page.from.value = DAY.test(from) ? from : format.day(yearAgo.toISOString());
  page.to.value = DAY.test(to) ? to : format.day(today.toISOString());
  const period = params.get('period')?.toUpperCase();
  if (period && [...page.period.options].some((option) => option.value === period)) page.period.value = period;
  const activityWindow = Number(params.get('window'));
  if (Number.isInteger(activityWindow) && activityWindow > 0) page.activityWindow.value = String(activityWindow);
}

/** Keeps the address in step with the period shown. */
function rememberRange(): void {
  const params = new URLSearchParams(location.search);
  params.set('from', page.from.value);
  params.set('to', page.to.value);
  params.set('period', page.period.value);
  params.set('window', page.activityWindow.value);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

page.signIn.addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn(page.token.value.trim().replace(/^Bearer\s+/i, ''));
});
page.signOut.addEventListener('click', signOut);
page.filters.addEventListener('submit', (event) => {
  event.preventDefault();
  if (page.from.value > page.to.value) {
    showError(page.error, 'The period must start before it ends.');
    return;
  }
  showError(page.error, undefined);
  rememberRange();
  void loadAll();
});
page.experiment.addEventListener('change', () => {
  if (session) void loadExperiment(session.token, session.currency);
});

initialRange();
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
