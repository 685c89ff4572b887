/**
 * Benchmarks: `npm run bench -- <scenario> [--seconds 10] [--connections 10]`. Load scenarios run over
 * loopback and measure their own baseline in the same run (ledger and checkout: `--seconds` per path
 * in all, in `--rounds` interleaved windows); `edge` runs the app in process behind a
 * simulated network delay (`--delay` ms per database round trip). `segments` imports its orders in
 * date order, as a shop's export lists them; `--shuffled` imports them at random dates.
 */
import { parseArgs } from 'node:util';
import { checkoutBenchmark } from './checkout';
import { edgeBenchmark } from './edge';
import { jobsBenchmark } from './jobs';
import { ledgerBenchmark } from './ledger';
import { profileBenchmark } from './profile';
import { remindersBenchmark } from './reminders';
import { segmentsBenchmark } from './segments';
import { insightsBenchmark } from './insights';

const scenarios = {
  ledger: ledgerBenchmark,
  jobs: jobsBenchmark,
  reminders: remindersBenchmark,
  checkout: checkoutBenchmark,
  profile: profileBenchmark,
  edge: ({ seconds, delay }: { seconds: number; delay: number }) => edgeBenchmark({ seconds, delayMs: delay }),
  segments: segmentsBenchmark,
  insights: insightsBenchmark,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string' },
    connections: { type: 'string', default: '10' },
    members: { type: 'string', default: '100000' },
    delay: { type: 'string', default: '20' },
    before: { type: 'string' },
    shuffled: { type: 'boolean', default: false },
  },
});
// `--before <dir>`: the ledger and checkout benches also run the app of that checkout, side by side.
if (values.before) process.env.BENCH_BEFORE_DIR = values.before;
const name = positionals[0] as keyof typeof scenarios | undefined;
if (!name || !(name in scenarios)) {
  console.error(
    `usage: npm run bench -- <${Object.keys(scenarios).join('|')}> [--seconds 10] [--rounds N] [--connections 10] [--members 100000] [--delay 20] [--before <checkout>] [--shuffled]`,
  );
  process.exit(2);
}
await scenarios[name]({
  seconds: Number(values.seconds),
  connections: Number(values.connections),
  members: Number(values.members),
  delay: Number(values.delay),
  shuffled: values.shuffled,
  ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
});
