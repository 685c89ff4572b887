import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from '../../src/platform/serializer/keyed-queue';
import { createInProcessSerializer } from '../../src/platform/node/in-process-serializer';
import { fixedClock } from '../../src/platform/clock';
import { MemberNotFoundError } from '../../src/modules/members/errors';
import type { CommandRegistry } from '../../src/platform/serializer/commands';
import type { Database } from '../../src/platform/db/database';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('keyed queue', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside', async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (key: string, index: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`${key}${index}:start`);
      await tick();
      log.push(`${key}${index}:end`);
      running--;
      return index;
    };
    const results = await Promise.all([
      ...[0, 1, 2].map((index) => queue.run('a', task('a', index))),
      ...[0, 1, 2].map((index) => queue.run('b', task('b', index))),
    ]);
    expect(results).toEqual([0, 1, 2, 0, 1, 2]);
    const aEvents = log.filter((entry) => entry.startsWith('a'));
    expect(aEvents).toEqual(['a0:start', 'a0:end', 'a1:start', 'a1:end', 'a2:start', 'a2:end']);
    expect(maxRunning).toBe(2);
    expect(queue.activeKeys).toBe(0);
  });

  it('keeps going after a task fails', async () => {
    const queue = createKeyedQueue();
    const failed = queue.run('a', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.run('a', async () => 'next')).resolves.toBe('next');
  });
});

describe('in-process serializer', () => {
  const deps = {
    db: {} as Database,
    clock: fixedClock('2026-01-01T00:00:00Z'),
    fingerprints: { secret: 'a-fingerprint-key-for-the-serializer-test', previousSecrets: [] },
  };
  const registry: CommandRegistry = {
    echo: async (_deps, input: { at: Date | string }) => ({ received: input }),
    missing: async (_deps, input: { memberId: string }) => {
      throw new MemberNotFoundError(input.memberId);
    },
    crash: async () => {
      throw new Error('unexpected');
    },
  };
  const serializer = createInProcessSerializer(registry, deps);

  it('revives domain errors as their own class with their details', async () => {
    const error = await serializer.execute('p:m', 'missing', { memberId: 'm-1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MemberNotFoundError);
    expect(error).toMatchObject({ code: 'MEMBER_NOT_FOUND', details: { memberId: 'm-1' }, message: 'No member m-1 in this program' });
  });

  it('lets unexpected errors through and refuses unknown commands', async () => {
    await expect(serializer.execute('p:m', 'crash', {})).rejects.toThrow('unexpected');
    await expect(serializer.execute('p:m', 'nope', {})).rejects.toThrow(/Unknown command "nope"/);
  });

  it('copies input as an RPC would, so callers cannot share mutable state with a command', async () => {
    const input = { at: 'x', nested: { value: 1 } };
    const result: { received: typeof input } = await serializer.execute('p:m', 'echo', input);
    expect(result.received).toEqual(input);
    expect(result.received).not.toBe(input);
  });
});
