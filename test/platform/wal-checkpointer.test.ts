import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../src/platform/node/database';
import { BACKSTOP_WAL_PAGES, type WalLimits } from '../../src/platform/node/wal-checkpointer';

/** A WAL frame: a page of 4 KB and its 24-byte header. */
const FRAME_BYTES = 4120;

const ROWS_PER_COMMIT = 100;
/** A row of 3,000 bytes fills a 4 KB page of its own: a commit of 100 rows writes about 100 pages to the WAL. */
const ROW_BYTES = 3000;

const fileSize = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const freshFile = () => join(mkdtempSync(join(tmpdir(), 'wal-checkpointer-')), 'wal.db');

async function openWithCheckpointer(file: string, limits: WalLimits | true = true) {
  const opened = await openNodeDatabase({ url: `file:${file}`, walCheckpointer: limits });
  await opened.client.execute('create table blobs (id integer primary key, data blob not null)');
  // From an empty WAL, so that its file's size shows what the writes below left in it.
  await opened.afterErasure!();
  expect(fileSize(`${file}-wal`)).toBe(0);
  // The thread is running (it takes a moment to start) once it has copied a first commit back.
  await opened.client.execute("insert into blobs (data) values (x'00')");
  await until(() => {
    const { frames, copied } = walProgress(file);
    return frames > 0 && copied === frames;
  }, 'the thread copies a first commit back');
  return opened;
}

const commitRows = (client: Client) =>
  client.execute({
    sql: 'with recursive n(i) as (select 1 union all select i + 1 from n where i < ?) insert into blobs (data) select randomblob(?) from n',
    args: [ROWS_PER_COMMIT, ROW_BYTES],
  });

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The WAL's frames and how many of them are copied back, as the shared-memory index (`<file>-shm`)
 * holds them for every connection: mxFrame in the index header, nBackfill after its two copies
 * (sqlite.org/walformat.html). Read from the outside: asking a connection would checkpoint.
 */
function walProgress(file: string) {
  const index = readFileSync(`${file}-shm`);
  return { frames: index.readUInt32LE(16), copied: index.readUInt32LE(96) };
}

const contents = async (client: Client) =>
  (await client.execute('select count(*) as rows, sum(length(data)) as bytes, hex(max(data)) as largest from blobs')).rows[0];

/** Closes the app's client (which stops the thread), reopens the file without a thread and expects every row written, intact. */
async function expectIntactAfterReopen(file: string, opened: Awaited<ReturnType<typeof openWithCheckpointer>>, rows: number) {
  const before = await contents(opened.client);
  opened.client.close();
  await opened.walCheckpointer!.ended;
  const reopened = await openNodeDatabase({ url: `file:${file}` });
  expect(await contents(reopened.client)).toEqual(before);
  expect(before!.rows).toBe(rows);
  expect((await reopened.client.execute('pragma integrity_check')).rows[0]![0]).toBe('ok');
  reopened.client.close();
}

describe('the WAL checkpointer (a worker thread with its own connection)', () => {
  it("copies the WAL back while the app writes in bursts, so the WAL stays the size of a burst and the app's connection never checkpoints", async () => {
    const file = freshFile();
    const opened = await openWithCheckpointer(file);
    const { client } = opened;
    // The app's own auto-checkpoint is only the backstop, far above what this test writes.
    expect((await client.execute('pragma wal_autocheckpoint')).rows[0]![0]).toBe(BACKSTOP_WAL_PAGES);
    const bursts = 10;
    const commitsPerBurst = 3;
    let largestWal = 0;
    for (let burst = 1; burst <= bursts; burst++) {
      for (let commit = 0; commit < commitsPerBurst; commit++) await commitRows(client);
      largestWal = Math.max(largestWal, fileSize(`${file}-wal`));
      expect(walProgress(file).frames).toBeGreaterThanOrEqual(commitsPerBurst * ROWS_PER_COMMIT);
      // Copied back while the connection stays open: by the thread, since the app's connection
      // writes far fewer pages than its auto-checkpoint waits for.
      await until(() => {
        const { frames, copied } = walProgress(file);
        return copied === frames;
      }, `burst ${burst} is copied back`);
    }
    const burstBytes = commitsPerBurst * ROWS_PER_COMMIT * ROW_BYTES;
    // Once everything is copied back, the next commit writes the WAL over from its start: never more than a burst or two.
    expect(largestWal).toBeGreaterThan(burstBytes);
    expect(largestWal).toBeLessThan(3 * burstBytes);
    await expectIntactAfterReopen(file, opened, 1 + bursts * commitsPerBurst * ROWS_PER_COMMIT);
  });

  it.each([
    ["the app's calls wait for the thread to catch up", { catchUpPages: 500 }],
    ["the app's connection checkpoints past its backstop", { catchUpPages: 2 ** 30, backstopPages: 500 }],
  ])('keeps the WAL bounded under writes without a pause: %s', async (_, limits) => {
    const file = freshFile();
    const opened = await openWithCheckpointer(file, limits);
    const { client } = opened;
    let largestWal = 0;
    const commits = 80;
    for (let commit = 0; commit < commits; commit++) {
      await commitRows(client);
      largestWal = Math.max(largestWal, fileSize(`${file}-wal`));
    }
    // 8,000 pages written back to back: the WAL held a few commits more than 500 of them at most
    // (the thread and the app's connection take turns), never all of them.
    expect(largestWal).toBeLessThan(3000 * FRAME_BYTES);
    await expectIntactAfterReopen(file, opened, 1 + commits * ROWS_PER_COMMIT);
  });

  it('truncates the WAL after an erasure while the thread checkpoints beside it', async () => {
    const file = freshFile();
    const { client, afterErasure, walCheckpointer } = await openWithCheckpointer(file);
    for (let round = 0; round < 5; round++) {
      await commitRows(client);
      await afterErasure!();
      expect(fileSize(`${file}-wal`)).toBe(0);
    }
    client.close();
    await walCheckpointer!.ended;
  });

  it('never keeps the process alive: a script that leaves the database open still exits', async () => {
    const database = `file:${freshFile()}`;
    const script = `
      const { openNodeDatabase } = await import(${JSON.stringify(resolve('src/platform/node/database.ts'))});
      const { client } = await openNodeDatabase({ url: ${JSON.stringify(database)}, walCheckpointer: true });
      await client.execute('create table t (x)');
      await client.execute('insert into t values (1)');
      console.log('written');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script]);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(output.trim()).toBe('written');
    expect(code).toBe(0);
  });
});
