import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeJobRun } from '../../src/jobs/log';
import { runScheduledJobs } from '../../src/jobs/runner';
import type { JobRunRow } from '../../schema';
import { createTestApp, TEST_NOW, type TestApp } from '../support/test-app';

describe('job run log lines', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('name the job, the program, what was processed, the duration and the errors, one line per run', async () => {
    const runs = await runScheduledJobs(app.deps, '5 * * * *', new Date(TEST_NOW));
    const lines = runs.map((run) => describeJobRun(run, app.clock.now()));
    expect(lines).toEqual([
      'job expire-points program=acme processed=0 duration=0ms errors=none',
      'job expire-points program=globex processed=0 duration=0ms errors=none',
      'job settle-referrals program=acme processed=0 duration=0ms errors=none',
      'job settle-referrals program=globex processed=0 duration=0ms errors=none',
      'job publish-partner-campaigns program=acme processed=0 duration=0ms errors=none',
      'job publish-partner-campaigns program=globex processed=0 duration=0ms errors=none',
    ]);
  });

  it('say when a run is unfinished and quote its error', () => {
    const startedAt = new Date('2026-11-23T10:00:00.000Z');
    const run = {
      job: 'recalculate-tiers',
      programId: null,
      processed: 300,
      startedAt,
      finishedAt: null,
      error: '2 member(s) failed: a; b',
    } as JobRunRow;
    expect(describeJobRun(run, new Date(startedAt.getTime() + 20_500))).toBe(
      'job recalculate-tiers program=(all) processed=300 duration=20500ms unfinished=resumes-next-tick errors="2 member(s) failed: a; b"',
    );
  });
});
