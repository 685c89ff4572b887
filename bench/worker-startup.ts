import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { freshDataDir } from './lib';

export interface WorkerStartup {
  bytes: number;
  gzipBytes: number;
  /** CPU time of the script's start-up (module evaluation), the median of `samples` profiles. */
  startupMs: number;
  samples: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string } }>;
  samples: number[];
  timeDeltas: number[];
}

/** The CPU time of a profile: every sample but the idle ones (microseconds → ms). */
function activeMs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  let active = 0;
  profile.samples.forEach((node, index) => {
    if (!idle.has(node)) active += profile.timeDeltas[index] ?? 0;
  });
  return active / 1000;
}

/**
 * Builds the Worker script as `wrangler deploy` would (dry run) and profiles its start-up in a local
 * workerd with `wrangler check startup`, offline. Workers refuse a script whose start-up exceeds
 * 400 ms of CPU or whose gzipped size exceeds the plan's limit (1 MiB on the free plan).
 */
export async function workerStartup(samples = 3): Promise<WorkerStartup> {
  const run = promisify(execFile);
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  const dir = freshDataDir();
  // `--outfile` writes the upload as Workers receive it (the script and its source map), which `check startup` profiles.
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', dir, '--outfile', join(dir, 'worker.bundle')], { env });
  const script = readFileSync(join(dir, 'worker.js'));
  const times: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const outfile = join(dir, `startup-${sample}.cpuprofile`);
    await run('npx', ['wrangler', 'check', 'startup', '--worker', join(dir, 'worker.bundle'), '--outfile', outfile], { env });
    times.push(activeMs(JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile));
  }
  times.sort((a, b) => a - b);
  return { bytes: script.length, gzipBytes: gzipSync(script).length, startupMs: times[Math.floor(times.length / 2)]!, samples };
}
