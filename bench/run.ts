/**
 * Load benchmarks over loopback: `npm run bench -- <scenario> [--seconds 10] [--connections 10]`.
 * Each scenario measures its own baseline in the same run and reports the ratio.
 */
import { parseArgs } from 'node:util';
import { checkoutBenchmark } from './checkout';
import { jobsBenchmark } from './jobs';
import { ledgerBenchmark } from './ledger';

const scenarios = { ledger: ledgerBenchmark, jobs: jobsBenchmark, checkout: checkoutBenchmark };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    members: { type: 'string', default: '100000' },
  },
});
const name = positionals[0] as keyof typeof scenarios | undefined;
if (!name || !(name in scenarios)) {
  console.error(`usage: npm run bench -- <${Object.keys(scenarios).join('|')}> [--seconds 10] [--connections 10] [--members 100000]`);
  process.exit(2);
}
await scenarios[name]({ seconds: Number(values.seconds), connections: Number(values.connections), members: Number(values.members) });
