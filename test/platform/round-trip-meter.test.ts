import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { meterRoundTrips } from '../../src/platform/db/round-trip-meter';

/** A client that answers each call on a later turn of the event loop and counts how many calls it serves at once. */
function turnTakingClient() {
  let inFlight = 0;
  let mostAtOnce = 0;
  const answer = async (sql: unknown) => {
    inFlight++;
    mostAtOnce = Math.max(mostAtOnce, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    return { sql };
  };
  const client = { execute: answer, batch: (statements: unknown[]) => answer(statements[0]) } as unknown as Client;
  return { client, mostAtOnce: () => mostAtOnce };
}

describe('the round-trip meter', () => {
  it('hands a one-connection client one call at a time with `oneAtATime`, in the order they were issued', async () => {
    const served = turnTakingClient();
    const { client, meter } = meterRoundTrips(served.client, { oneAtATime: true });
    const answers = await Promise.all([client.execute('select 1'), client.batch(['select 2', 'select 3']), client.execute('select 4')]);
    expect(answers).toEqual([{ sql: 'select 1' }, { sql: 'select 2' }, { sql: 'select 4' }]);
    expect(served.mostAtOnce()).toBe(1);
    expect(meter.count).toBe(3);

    const unqueued = turnTakingClient();
    const plain = meterRoundTrips(unqueued.client);
    await Promise.all([plain.client.execute('select 1'), plain.client.execute('select 2')]);
    expect(unqueued.mostAtOnce()).toBe(2);
  });

  it('keeps going after a failed call, and reports the distribution of the calls since the last reset', async () => {
    let calls = 0;
    const failingOnce = {
      execute: async (sql: string) => {
        if (++calls === 1) throw new Error('no such table');
        return { sql };
      },
    } as unknown as Client;
    const { client, meter } = meterRoundTrips(failingOnce, { oneAtATime: true });
    await expect(client.execute('select broken')).rejects.toThrow('no such table');
    await Promise.all(['select a', 'select b', 'select c'].map((sql) => client.execute(sql)));
    const { count, ownMs, cpuMs } = meter.distribution();
    expect(count).toBe(4);
    for (const times of [ownMs, cpuMs]) {
      expect(times.p50).toBeLessThanOrEqual(times.p99);
      expect(times.p99).toBeLessThanOrEqual(times.max);
    }
    expect(meter.longestCall?.ownMs).toBe(ownMs.max);
    expect(meter.longestCall!.answeredAt).toBeGreaterThanOrEqual(meter.longestCall!.servedFrom);
    // The call with the most CPU time (none when every call measured 0 ms of CPU).
    expect(meter.busiestCall?.cpuMs ?? 0).toBe(cpuMs.max);

    meter.reset();
    expect(meter.distribution()).toEqual({ count: 0, ownMs: { p50: 0, p99: 0, max: 0 }, cpuMs: { p50: 0, p99: 0, max: 0 } });
    expect(meter.longestCall).toBeNull();
    expect(meter.busiestCall).toBeNull();
  });
});
