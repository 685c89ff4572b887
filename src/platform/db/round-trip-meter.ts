import type { Client } from '@libsql/client';

/**
 * Counts a client's round trips to the database, and how many of them were *sequential*: a call
 * that starts before an earlier one has answered overlaps it and adds no latency of its own, so the
 * sequential count is the longest chain of calls that each waited for the one before (the critical
 * path). At the edge every sequential round trip to Turso costs 5–50 ms; this is what a request's
 * latency is made of.
 */
export interface RoundTripMeter {
  /** Every `execute` and `batch` since the last reset. */
  readonly count: number;
  /** The longest chain of calls since the last reset, each started after the previous had answered. */
  readonly sequential: number;
  /** The longest single call (ms, without the simulated delay): on Node the embedded database answers on the event loop. */
  readonly longestMs: number;
  /**
   * The longest time (ms) a single call took to be served once the calls before it were: a client
   * with one connection (the embedded database) serves calls one at a time, so a call issued
   * alongside others (`Promise.all`) waits for them, and `longestMs` counts that wait too.
   */
  readonly longestOwnMs: number;
  /**
   * The most CPU time (ms) of the JS thread (on older Node, of the process) a single call took to
   * be served, where the runtime can tell (Node): on a loaded machine wall time also counts waiting
   * for a core or the disk, this counts the work.
   */
  readonly longestCpuMs: number;
  /** The SQL of the call with the longest own time (its first statement, for a batch), to find what to index. */
  readonly longestSql: string;
  /** The call with the longest own time since the last reset, with its CPU time and when it ran, or null before any. */
  readonly longestCall: MeteredCall | null;
  /** The call with the most CPU time since the last reset, or null before any: on a busy machine it can differ from the longest. */
  readonly busiestCall: MeteredCall | null;
  /** How the calls since the last reset are distributed: their own wall times and their CPU times. */
  distribution(): CallDistribution;
  reset(): void;
}

/** One metered call: its own time and CPU time (ms), its first statement, and when it was served (`performance.now()`). */
export interface MeteredCall {
  ownMs: number;
  cpuMs: number;
  sql: string;
  servedFrom: number;
  answeredAt: number;
}

/** Percentiles (ms) of the metered calls' own times and CPU times. */
export interface CallDistribution {
  count: number;
  ownMs: Percentiles;
  cpuMs: Percentiles;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface MeteredClient {
  client: Client;
  meter: RoundTripMeter;
}

/**
 * Wraps a client so that every `execute` and `batch` is metered; with `before`, each call first
 * awaits it (a simulated network hop: `setImmediate` for a turn of the event loop, a timer for
 * a fixed delay). With `oneAtATime` (a client with one connection, such as the embedded database,
 * which serves its calls in turn anyway), the meter hands the client one call at a time, so that a
 * call's own time and CPU time are measured from when the connection takes it up, rather than
 * inferred from when the calls issued before it answered.
 */
export function meterRoundTrips(client: Client, options: { before?: () => Promise<unknown>; oneAtATime?: boolean } = {}): MeteredClient {
  let count = 0;
  // The depth of the deepest call that has answered; a call starting now is one deeper.
  let answeredDepth = 0;
  let sequential = 0;
  let longestMs = 0;
  let longestSql = '';
  let longestCpuMs = 0;
  let longestOwnMs = 0;
  // When the last call answered (and the CPU time then): a call issued before that waited for it.
  let lastAnsweredAt = 0;
  let lastAnsweredCpu = 0;
  let longestCall: MeteredCall | null = null;
  let busiestCall: MeteredCall | null = null;
  let ownTimes: number[] = [];
  let cpuTimes: number[] = [];
  // With `oneAtATime`, the call before this one: a call is handed to the client once it has answered.
  let previousCall: Promise<unknown> = Promise.resolve();
  // Calls still in flight at a reset must not count towards the next measurement.
  let epoch = 0;
  const meter: RoundTripMeter = {
    get count() {
      return count;
    },
    get sequential() {
      return sequential;
    },
    get longestMs() {
      return longestMs;
    },
    get longestSql() {
      return longestSql;
    },
    get longestCpuMs() {
      return longestCpuMs;
    },
    get longestOwnMs() {
      return longestOwnMs;
    },
    get longestCall() {
      return longestCall;
    },
    get busiestCall() {
      return busiestCall;
    },
    distribution() {
      return { count: ownTimes.length, ownMs: percentiles(ownTimes), cpuMs: percentiles(cpuTimes) };
    },
    reset() {
      count = 0;
      answeredDepth = 0;
      sequential = 0;
      longestMs = 0;
      longestSql = '';
      longestCpuMs = 0;
      longestOwnMs = 0;
      longestCall = null;
      busiestCall = null;
      ownTimes = [];
      cpuTimes = [];
      epoch++;
    },
  };
  const metered = new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (property !== 'execute' && property !== 'batch') return method;
      return async (...args: unknown[]) => {
        count++;
        const started = epoch;
        const depth = answeredDepth + 1;
        sequential = Math.max(sequential, depth);
        let answered = () => {};
        try {
          if (options.before) await options.before();
          if (options.oneAtATime) {
            const before = previousCall;
            previousCall = new Promise<void>((resolve) => (answered = resolve));
            await before;
          }
          const start = performance.now();
          const cpuStart = cpuMs();
          try {
            return await method(...args);
          } finally {
            const end = performance.now();
            const cpuEnd = cpuMs();
            const servedFrom = Math.max(start, lastAnsweredAt);
            const cpuFrom = start >= lastAnsweredAt ? cpuStart : lastAnsweredCpu;
            lastAnsweredAt = end;
            lastAnsweredCpu = cpuEnd;
            if (started === epoch) {
              const ownMs = end - servedFrom;
              const callCpuMs = cpuEnd - cpuFrom;
              ownTimes.push(ownMs);
              cpuTimes.push(callCpuMs);
              longestMs = Math.max(longestMs, end - start);
              const call = () => ({
                ownMs,
                cpuMs: callCpuMs,
                sql: sqlOf(property === 'batch' ? (args[0] as unknown[])[0] : args[0]),
                servedFrom,
                answeredAt: end,
              });
              if (callCpuMs > longestCpuMs) {
                longestCpuMs = callCpuMs;
                busiestCall = call();
              }
              if (ownMs > longestOwnMs) {
                longestOwnMs = ownMs;
                longestCall = call();
                longestSql = longestCall.sql;
              }
            }
          }
        } finally {
          answered();
          if (started === epoch) answeredDepth = Math.max(answeredDepth, depth);
        }
      };
    },
  });
  return { client: metered, meter };
}

/** The median, the 99th percentile (nearest rank) and the maximum of some times. */
function percentiles(times: readonly number[]): Percentiles {
  if (times.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(times).sort();
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1]! };
}

/** The SQL text of an `execute` or `batch` statement argument. */
function sqlOf(statement: unknown): string {
  if (typeof statement === 'string') return statement;
  return (statement as { sql?: string } | undefined)?.sql ?? '';
}

/** The JS thread's (or else the process's) CPU time so far (ms), or 0 where the runtime cannot tell (Workers). */
function cpuMs(): number {
  type Usage = () => { user: number; system: number };
  const runtime = (globalThis as { process?: { threadCpuUsage?: Usage; cpuUsage?: Usage } }).process;
  // The JS thread's own CPU time where Node has it: the embedded database answers on that thread,
  // while the process's time would also count the garbage collector's and libuv's helper threads.
  const usage = runtime?.threadCpuUsage?.() ?? runtime?.cpuUsage?.();
  return usage ? (usage.user + usage.system) / 1000 : 0;
}
