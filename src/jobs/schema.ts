import type { JobRunRow } from '../../schema';
import { builder } from '../graphql/builder';
import { programIdOf } from '../graphql/context';
import { jobs } from './schedule';
import { connectionById } from '../graphql/connections';

const programJobs = Object.values(jobs).filter((job) => job.scope === 'program');

const JobName = builder.enumType('JobName', {
  description: 'Jobs a program admin may run by hand',
  values: Object.fromEntries(programJobs.map((job) => [job.name.toUpperCase().replaceAll('-', '_'), { value: job.name }])) as Record<
    string,
    { value: string }
  >,
});

const JobRunType = builder.objectRef<JobRunRow>('JobRun').implement({
  description: 'One run of a job for this program: what started it, how far it got',
  fields: (t) => ({
    id: t.exposeID('id'),
    job: t.exposeString('job'),
    trigger: t.exposeString('trigger', { description: 'The cron expression, or manual' }),
    now: t.expose('scheduledFor', { type: 'DateTime', description: 'The instant the run was for' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Null while it has more to do (it resumes at the next run)',
    }),
    processed: t.exposeInt('processed', { description: 'Members processed' }),
    cursor: t.exposeString('cursor', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

builder.queryField('jobRuns', (t) =>
  t.connection({
    type: JobRunType,
    description: "Runs of this program's jobs, newest first",
    authScopes: { admin: true },
    args: { job: t.arg({ type: JobName }) },
    resolve: (_root, args, context) =>
      connectionById(args, (page) => context.services.jobs.runs(programIdOf(context), args.job ?? null, page)),
  }),
);

const RunJobInput = builder.inputType('RunJobInput', {
  fields: (t) => ({
    job: t.field({ type: JobName, required: true }),
    now: t.field({ type: 'DateTime', description: 'Run as of this instant (defaults to the clock)' }),
  }),
});

const RunJobPayload = builder.objectRef<JobRunRow>('RunJobPayload').implement({
  fields: (t) => ({ run: t.field({ type: JobRunType, resolve: (run) => run }) }),
});

builder.mutationField('runJob', (t) =>
  t.field({
    type: RunJobPayload,
    description: 'Runs a job for this program now and returns its run (a job is idempotent for a given `now`)',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RunJobInput, required: true }) },
    errors: { directResult: true, union: { name: 'RunJobResult' } },
    resolve: (_root, { input }, context) => context.services.jobs.run(programIdOf(context), input.job, input.now ?? null),
  }),
);
