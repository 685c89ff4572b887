import { readFileSync } from 'node:fs';
import { Cron } from 'croner';
import { parse } from 'smol-toml';

/** The Cron Triggers declared in wrangler.toml, so Node runs jobs on the same schedule as Workers. */
export function cronsFromWranglerToml(path: string): string[] {
  const config = parse(readFileSync(path, 'utf8')) as { triggers?: { crons?: unknown } };
  const crons = config.triggers?.crons;
  if (!Array.isArray(crons) || !crons.every((cron) => typeof cron === 'string')) {
    throw new Error(`${path}: [triggers] crons must be a list of cron expressions`);
  }
  return crons;
}

/**
 * Schedules `onTick(cron, scheduledTime)` for each expression, in UTC like Cron Triggers. A tick is
 * skipped while the previous one of the same cron still runs (croner's `protect`).
 */
export function startScheduler(crons: string[], onTick: (cron: string, scheduledTime: Date) => Promise<unknown>) {
  const tasks = crons.map(
    (cron) =>
      new Cron(cron, { timezone: 'UTC', protect: true, catch: (error) => console.error(`cron ${cron}:`, error) }, async (self: Cron) => {
        await onTick(cron, self.currentRun() ?? new Date());
      }),
  );
  return { stop: () => tasks.forEach((task) => task.stop()) };
}
