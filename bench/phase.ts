import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import type { CallDistribution, MeteredCall, RoundTripMeter } from '../src/platform/db/round-trip-meter';

/** A database call as a bench reports it: its own time, CPU time, the garbage collection inside it and its (first) statement. */
export interface DescribedCall {
  ownMs: number;
  cpuMs: number;
  gcMs: number;
  sql: string;
}

/** What one phase of a bench cost: wall and CPU time, the load around it, garbage collection and its database calls. */
export interface PhaseCost {
  seconds: number;
  /** The process's CPU time (all threads: the JS thread, the garbage collector's helpers, libuv). */
  cpuSeconds: number;
  /** The JS thread's CPU time, where this Node has it (the embedded database answers on that thread). */
  jsThreadCpuSeconds: number;
  /** The machine's 1-minute load average before and after: wall times are only comparable at a similar load. */
  loadAverage: [number, number];
  gcPauses: number;
  gcMs: number;
  calls: CallDistribution;
  longestCall: DescribedCall | null;
  mostCpuCall: DescribedCall | null;
}

/** The JS thread's CPU time (ms), where this Node has it; the process's counts the GC's helper threads too. */
const threadCpuMs = () => {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Runs one phase of a bench with the meter reset before it, and measures what it cost. Every garbage
 * collection of the phase is observed, to tell whether one happened inside the longest call (the
 * embedded database answers on the JS thread, so a collection during a call counts in it).
 */
export async function measurePhase<T>(meter: RoundTripMeter, work: () => Promise<T>): Promise<{ value: T; cost: PhaseCost }> {
  const collections: Array<{ from: number; to: number }> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push({ from: entry.startTime, to: entry.startTime + entry.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  meter.reset();
  const loadBefore = loadavg()[0]!;
  const cpuBefore = process.cpuUsage();
  const threadCpuBefore = threadCpuMs();
  const started = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const jsThreadCpuSeconds = (threadCpuMs() - threadCpuBefore) / 1000;
    const overlapping = (from: number, to: number) =>
      collections.reduce((sum, gc) => sum + Math.max(0, Math.min(gc.to, to) - Math.max(gc.from, from)), 0);
    const described = (call: MeteredCall | null): DescribedCall | null =>
      call && {
        ownMs: call.ownMs,
        cpuMs: call.cpuMs,
        gcMs: overlapping(call.servedFrom, call.answeredAt),
        sql: call.sql.replace(/\s+/g, ' ').slice(0, 300),
      };
    const cost: PhaseCost = {
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      jsThreadCpuSeconds,
      loadAverage: [loadBefore, loadavg()[0]!],
      gcPauses: collections.length,
      gcMs: collections.reduce((sum, gc) => sum + gc.to - gc.from, 0),
      calls: meter.distribution(),
      longestCall: described(meter.longestCall),
      mostCpuCall: described(meter.busiestCall),
    };
    return { value, cost };
  } finally {
    gcObserver.disconnect();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** `CPU 1.2 s = 0.05 ms/member, of it the JS thread 1.1 s; load 1.0 → 1.2` for a phase over `count` things. */
export function describeCpu(cost: PhaseCost, count: number, unit: string): string {
  return (
    `CPU ${cost.cpuSeconds.toFixed(1)} s = ${((cost.cpuSeconds * 1000) / count).toFixed(3)} ms/${unit}, of it the JS thread ${cost.jsThreadCpuSeconds.toFixed(1)} s; ` +
    `load ${cost.loadAverage.map((value) => value.toFixed(1)).join(' → ')}`
  );
}

/** Prints a phase's calls: their own and CPU times (p50, p99, max), then the longest call and the one with the most CPU. */
export function printCalls(cost: PhaseCost) {
  const { calls } = cost;
  console.log(
    `  ${calls.count} calls: own time p50 ${ms(calls.ownMs.p50)}, p99 ${ms(calls.ownMs.p99)}, max ${ms(calls.ownMs.max)}; CPU time p50 ${ms(calls.cpuMs.p50)}, p99 ${ms(calls.cpuMs.p99)}, max ${ms(calls.cpuMs.max)}; GC ${cost.gcPauses} pauses ${cost.gcMs.toFixed(0)} ms`,
  );
  for (const [label, call] of [
    ['longest call', cost.longestCall],
    ['most CPU', cost.mostCpuCall],
  ] as const)
    if (call) console.log(`  ${label}: ${ms(call.ownMs)} (CPU ${ms(call.cpuMs)}, GC inside it ${ms(call.gcMs)}): ${call.sql}`);
}
