import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
const MEMBERS = 40;
const ORDERS = 800;

function run(args: string[], database: string, onSpawn?: (kill: () => void) => void) {
  const env = {
    ...process.env,
    LIBSQL_URL: `file:${join(dir, database)}`,
    ENVIRONMENT: '',
    NODE_ENV: 'development',
    JWT_SECRET: 'import-test-secret-import-test-secret',
    FINGERPRINT_SECRET: 'import-test-fingerprints-import-test-fp',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  onSpawn?.(() => child.kill('SIGKILL'));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

async function snapshot(database: string) {
  const client = createClient({ url: `file:${join(dir, database)}` });
  const orders = await client.execute(
    'select o.order_id, m.external_id, o.total, o.created_at, count(l.line_no) as lines from orders o join members m on m.id = o.member_id left join order_lines l on l.order_id = o.id group by o.id order by o.order_id',
  );
  const stats = await client.execute(
    'select m.external_id, s.order_count, s.total_spend, s.first_order_at, s.last_order_at from member_stats s join members m on m.id = s.member_id order by m.external_id',
  );
  const days = await client.execute(
    'select m.external_id, d.day, d.month, d.orders, d.spend, d.purchases from member_daily_activity d join members m on m.id = d.member_id order by 1, 2',
  );
  client.close();
  return {
    orders: orders.rows.map((row) => ({ ...row })),
    stats: stats.rows.map((row) => ({ ...row })),
    days: days.rows.map((row) => ({ ...row })),
  };
}

describe('npm run import', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const membersCsv = join(dir, 'members.csv');
  writeFileSync(
    membersCsv,
    ['externalId,email,name', ...Array.from({ length: MEMBERS }, (_, index) => `C-${index},c${index}@example.com,Customer ${index}`)].join(
      '\n',
    ),
  );
  const ordersFile = join(dir, 'orders.ndjson');
  const day = Date.parse('2024-01-01T00:00:00Z');
  const lines = Array.from({ length: ORDERS }, (_, index) =>
    JSON.stringify({
      orderId: `O-${index}`,
      memberExternalId: `C-${index % MEMBERS}`,
      placedAt: new Date(day + index * 3_600_000).toISOString(),
      currency: 'EUR',
      lines: [{ sku: `SKU-${index % 7}`, category: index % 2 ? 'tea' : 'coffee', quantity: 1 + (index % 3), unitPrice: 100 + index }],
    }),
  );
  lines.splice(
    10,
    0,
    '{ not json',
    JSON.stringify({ orderId: 'FUTURE', memberExternalId: 'C-1', placedAt: '2999-01-01T00:00:00Z', currency: 'EUR', total: 100 }),
  );
  writeFileSync(ordersFile, lines.join('\n'));

  it('resumes after a kill and ends exactly where an uninterrupted import ends, with a report of rejected rows by line', async () => {
    for (const database of ['killed.db', 'straight.db']) {
      const members = await run([membersCsv], database);
      expect(members.code, members.stderr).toBe(0);
      expect(members.stdout).toContain(`${MEMBERS} imported`);
    }
    const checkpoint = `${ordersFile}.checkpoint.json`;
    const killed = await run([ordersFile, '--batch', '20'], 'killed.db', (kill) => {
      const poll = setInterval(() => {
        if (existsSync(checkpoint) && JSON.parse(readFileSync(checkpoint, 'utf8')).line > 150) {
          clearInterval(poll);
          kill();
        }
      }, 5);
    });
    expect(killed.signal).toBe('SIGKILL');
    const left = JSON.parse(readFileSync(checkpoint, 'utf8'));
    expect(left.line).toBeLessThan(ORDERS);
    const resumed = await run([ordersFile, '--batch', '20'], 'killed.db');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming after line ${left.line}`);
    expect(existsSync(checkpoint)).toBe(false);
    const report = readFileSync(`${ordersFile}.rejected.csv`, 'utf8').trim().split('\n');
    expect(report.slice(1).map((row) => row.split(',').slice(0, 3).join(','))).toEqual([
      '"11","","MALFORMED"',
      '"12","FUTURE","FUTURE_PLACED_AT"',
    ]);

    const straight = await run([ordersFile], 'straight.db');
    expect(straight.code, straight.stderr).toBe(0);
    expect(straight.stdout).toContain(`${ORDERS} imported`);
    const [afterKill, uninterrupted] = [await snapshot('killed.db'), await snapshot('straight.db')];
    expect(afterKill.orders).toHaveLength(ORDERS);
    expect(afterKill).toEqual(uninterrupted);

    const again = await run([ordersFile], 'straight.db');
    expect(again.stdout).toContain(`0 imported, ${ORDERS} already there`);
    expect(await snapshot('straight.db')).toEqual(uninterrupted);
  }, 120_000);
});
