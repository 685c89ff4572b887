import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobRuns } from '../../schema';
import { jobs, jobsByCron } from '../../src/jobs/schedule';
import { pruneJobRuns } from '../../src/jobs/prune-job-runs';
import { runJobNow, runScheduledJobs } from '../../src/jobs/runner';
import { forEachMember } from '../../src/jobs/job';
import { cronsFromWranglerToml } from '../../src/platform/node/scheduler';
import { newId } from '../../src/platform/ids';
import { createTestApp, type TestApp } from '../support/test-app';

/** The README's retention: finished job-run records older than 90 days are deleted. */
const JOB_RUN_RETENTION_DAYS = 90;

describe('cron schedule', () => {
  it('maps exactly the crons of wrangler.toml to existing jobs', () => {
    const crons = cronsFromWranglerToml('wrangler.toml');
    expect(Object.keys(jobsByCron).sort()).toEqual([...crons].sort());
    for (const names of Object.values(jobsByCron)) for (const name of names) expect(jobs[name]).toBeDefined();
  });
});

describe('prune-job-runs', () => {
  let app: TestApp;
  const day = 24 * 60 * 60 * 1000;
  const now = new Date('2026-11-23T03:15:00Z');

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const seedRuns = async (count: number, ageDays: number, finished = true) => {
    const startedAt = new Date(now.getTime() - ageDays * day);
    const rows = Array.from({ length: count }, () => ({
      id: newId(),
      job: 'some-job',
      trigger: 'manual',
      scheduledFor: startedAt,
      startedAt,
      finishedAt: finished ? startedAt : null,
    }));
    for (let offset = 0; offset < rows.length; offset += 200) await app.db.insert(jobRuns).values(rows.slice(offset, offset + 200));
  };
  const countRuns = async () => (await app.db.select().from(jobRuns)).filter((run) => run.job === 'some-job').length;

  it('deletes finished runs past retention in chunks, keeps recent and unfinished ones, records itself', async () => {
    await seedRuns(1_203, JOB_RUN_RETENTION_DAYS + 1);
    await seedRuns(5, JOB_RUN_RETENTION_DAYS - 1);
    await seedRuns(2, JOB_RUN_RETENTION_DAYS + 10, false);
    app.clock.set(now);

    const [run] = await runScheduledJobs(app.deps, '15 3 * * *', now);
    expect(run).toMatchObject({ job: 'prune-job-runs', trigger: '15 3 * * *', processed: 1_203, cursor: null, error: null });
    expect(run!.finishedAt).toEqual(now);
    expect(await countRuns()).toBe(7);

    // Idempotent: running again at the same `now` changes nothing.
    const [again] = await runScheduledJobs(app.deps, '15 3 * * *', now);
    expect(again!.processed).toBe(0);
    expect(await countRuns()).toBe(7);
  });

  it('stops at its budget and the next invocation finishes that run before its own', async () => {
    await seedRuns(1_100, JOB_RUN_RETENTION_DAYS + 1);
    const first = await runJobNow(app.deps, pruneJobRuns, { now, trigger: 'manual', programId: null, budgetMs: 0 });
    expect(first).toMatchObject({ processed: 500, cursor: 'more', finishedAt: null });
    const later = new Date(now.getTime() + 60_000);
    const second = await runJobNow(app.deps, pruneJobRuns, { now: later, trigger: 'manual', programId: null });
    expect(second).toMatchObject({ processed: 0, cursor: null, scheduledFor: later });
    const [resumed] = await app.db.select().from(jobRuns).where(eq(jobRuns.id, first.id));
    expect(resumed).toMatchObject({ processed: 1_100, cursor: null, error: null });
    expect(resumed!.finishedAt).not.toBeNull();
  });

  it('refuses a cron that maps to no job', async () => {
    await expect(runScheduledJobs(app.deps, '*/7 * * * *', now)).rejects.toThrow(/No jobs are mapped/);
  });
});

describe('job runs', () => {
  let app: TestApp;
  const now = new Date('2026-11-23T10:00:00Z');
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('report a member that fails and go on with the others', async () => {
    const failures = await forEachMember(['a', 'b', 'c'], async (memberId) => {
      if (memberId === 'b') throw new Error('boom');
    });
    expect(failures).toEqual(['b: boom']);
  });

  it('leave the programs past the budget to the next tick', async () => {
    const [first, ...others] = await runScheduledJobs(app.deps, '5 * * * *', now, 0);
    expect(first).toMatchObject({ job: 'expire-points', programId: 'acme' });
    expect(others).toEqual([]);
    const all = await runScheduledJobs(app.deps, '5 * * * *', now);
    expect(all.map((run) => `${run.job}/${run.programId}`)).toEqual([
      'expire-points/acme',
      'expire-points/globex',
      'settle-referrals/acme',
      'settle-referrals/globex',
      'publish-partner-campaigns/acme',
      'publish-partner-campaigns/globex',
    ]);
  });

  it('refuse to run as of the future from GraphQL', async () => {
    const admin = await app.token({ role: 'admin' });
    const response = await app.graphql(
      'mutation($now: DateTime) { runJob(input: { job: EXPIRE_POINTS, now: $now }) { __typename ... on InvalidInputError { issues { path message } } } }',
      { now: '2026-11-23T10:00:01Z' },
      admin,
    );
    expect(response.data?.runJob).toEqual({
      __typename: 'InvalidInputError',
      issues: [{ path: ['input', 'now'], message: 'must not be in the future' }],
    });
  });
});
