import fc from 'fast-check';

export interface PropertySettings {
  numRuns: number;
  /** How long runs and shrinking may take before fast-check stops and reports what it has. */
  budgetMs: number;
  /** The vitest timeout for the test: the budget and a margin to report the seed. */
  testTimeoutMs: number;
}

/**
 * How many runs a property test makes: `defaultRuns` (what CI runs), or `FC_RUNS` for a larger
 * (nightly) run, with a time budget that grows with the runs.
 */
export function propertySettings(defaultRuns: number, secondsAtDefault: number): PropertySettings {
  const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : defaultRuns;
  if (!Number.isInteger(numRuns) || numRuns < 1) throw new Error(`FC_RUNS must be a positive integer, not "${process.env.FC_RUNS}"`);
  const budgetMs = secondsAtDefault * 1000 * Math.max(1, numRuns / defaultRuns);
  return { numRuns, budgetMs, testTimeoutMs: budgetMs + 30_000 };
}

/**
 * Runs a fast-check property the same way in every property test, with a seed that is printed when
 * it fails, so the same case replays with `FC_SEED=<seed>` (and `FC_PATH=<path>` to go straight to
 * the shrunk counterexample). Shrinking stops at the time budget, so a failure is always reported
 * with its seed rather than as a test timeout.
 */
export async function assertProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  settings: PropertySettings,
  examples?: Ts[],
): Promise<void> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, not "${process.env.FC_SEED}"`);
  const details = await fc.check(property, {
    seed,
    numRuns: settings.numRuns,
    interruptAfterTimeLimit: settings.budgetMs,
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
    ...(examples ? { examples } : {}),
  });
  if (!details.failed) {
    if (details.interrupted)
      console.warn(`[fast-check] time budget reached after ${details.numRuns} of ${settings.numRuns} runs (seed ${details.seed})`);
    return;
  }
  const replay = `FC_SEED=${details.seed}${details.counterexamplePath ? ` FC_PATH=${details.counterexamplePath}` : ''}`;
  console.error(`[fast-check] property failed: replay with ${replay}`);
  throw new Error(`Property failed after ${details.numRuns} run(s); replay with ${replay}\n${fc.defaultReportMessage(details) ?? ''}`, {
    cause: details.errorInstance,
  });
}
