import fc from 'fast-check';

/**
 * Runs a fast-check property the same way in every property test: `defaultRuns` unless `FC_RUNS`
 * says otherwise (CI keeps the default; a nightly run sets e.g. FC_RUNS=500), and a seed that is
 * printed when the property fails, so the same case replays with `FC_SEED=<seed>` (and
 * `FC_PATH=<path>` to go straight to the shrunk counterexample).
 */
export async function assertProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  options: { defaultRuns: number; examples?: Ts[] },
): Promise<void> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, not "${process.env.FC_SEED}"`);
  const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : options.defaultRuns;
  if (!Number.isInteger(numRuns) || numRuns < 1) throw new Error(`FC_RUNS must be a positive integer, not "${process.env.FC_RUNS}"`);
  const details = await fc.check(property, {
    seed,
    numRuns,
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
    ...(options.examples ? { examples: options.examples } : {}),
  });
  if (!details.failed) return;
  const replay = `FC_SEED=${details.seed}${details.counterexamplePath ? ` FC_PATH=${details.counterexamplePath}` : ''}`;
  const error = new Error(`Property failed after ${details.numRuns} run(s); replay with ${replay}\n${fc.defaultReportMessage(details) ?? ''}`, {
    cause: details.errorInstance,
  });
  console.error(`[fast-check] property failed: replay with ${replay}`);
  throw error;
}
