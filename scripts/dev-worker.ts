/**
 * `npm run dev:worker`: the real Worker (wrangler dev, with its MemberLedger Durable Objects and cron
 * handler) on this machine, against a local database:
 * - `.dev.vars` (git-ignored) is created from `.dev.vars.example` when missing: it holds the
 *   development JWT secret that `npm start` and `npm run token` use too;
 * - with LIBSQL_URL set, the Worker uses that database (migrate it first: `npm run db:migrate`);
 * - otherwise a local libSQL endpoint serves `.data/loyalty.db` (the file `npm start` uses) at
 *   http://127.0.0.1:8080: `turso dev` when the Turso CLI is installed, else the development Hrana
 *   bridge (scripts/hrana-bridge.ts, not for production). Migrations and the default program are
 *   applied first.
 * Arguments after `--` go to wrangler: `npm run dev:worker -- --port 8788`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { serve } from '@hono/node-server';
import { loadConfig } from '../src/config';
import { systemClock } from '../src/platform/clock';
import { openNodeDatabase } from '../src/platform/node/database';
import { createProgramsService } from '../src/modules/programs/service';
import { createHranaBridge } from './hrana-bridge';

const DATABASE_FILE = '.data/loyalty.db';
const port = Number(process.env.LOCAL_LIBSQL_PORT ?? 8080);
const localUrl = `http://127.0.0.1:${port}`;
const config = loadConfig({ ...process.env, LIBSQL_URL: '' }, 'node');
const stopOnExit: Array<() => void> = [];

function ensureDevVars() {
  if (existsSync('.dev.vars')) return;
  copyFileSync('.dev.vars.example', '.dev.vars');
  console.log('dev:worker: created .dev.vars from .dev.vars.example (the development JWT secret, shared with npm run token)');
}

/** Applies the migrations and creates the default program, as `npm start` does. */
async function prepare(url: string) {
  const { db, client } = await openNodeDatabase({ url });
  await createProgramsService({ db, clock: systemClock }).ensure(config.defaultProgram);
  client.close();
}

async function answers(url: string): Promise<boolean> {
  const client = createClient({ url });
  try {
    await client.execute('select 1');
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

const hasTurso = () => spawnSync('turso', ['--version'], { stdio: 'ignore' }).status === 0;

async function startTursoDev(): Promise<void> {
  const turso = spawn('turso', ['dev', '--db-file', DATABASE_FILE, '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  stopOnExit.push(() => turso.kill('SIGTERM'));
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    if (await answers(localUrl)) return prepare(localUrl);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`turso dev did not answer at ${localUrl} within 15 s`);
}

async function startHranaBridge(): Promise<void> {
  await prepare(`file:${DATABASE_FILE}`);
  const bridge = createHranaBridge({ path: DATABASE_FILE });
  await new Promise<void>((resolve, reject) => {
    const server = serve({ fetch: bridge.handle, hostname: '127.0.0.1', port }, () => resolve());
    server.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is in use: set LOCAL_LIBSQL_PORT, or LIBSQL_URL to the libSQL server there`)
          : error,
      ),
    );
    stopOnExit.push(() => {
      bridge.close();
      server.close();
    });
  });
}

async function localDatabase(): Promise<string> {
  if (process.env.LIBSQL_URL) {
    console.log(`dev:worker: the Worker uses LIBSQL_URL=${process.env.LIBSQL_URL}`);
    return process.env.LIBSQL_URL;
  }
  if (hasTurso()) {
    await startTursoDev();
    console.log(`dev:worker: turso dev serves ${DATABASE_FILE} at ${localUrl}`);
  } else {
    await startHranaBridge();
    console.log(`dev:worker: no Turso CLI found: the development Hrana bridge (not for production) serves ${DATABASE_FILE} at ${localUrl}`);
  }
  return localUrl;
}

function runWrangler(libsqlUrl: string): ChildProcess {
  const args = ['dev', '--var', 'ENVIRONMENT:development', '--var', `LIBSQL_URL:${libsqlUrl}`, ...process.argv.slice(2)];
  return spawn('wrangler', args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
    },
  });
}

const stop = () => stopOnExit.splice(0).forEach((close) => close());
try {
  ensureDevVars();
  const wrangler = runWrangler(await localDatabase());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => wrangler.kill(signal));
  wrangler.on('exit', (code) => {
    stop();
    process.exit(code ?? 0);
  });
} catch (error) {
  stop();
  console.error(`dev:worker: ${(error as Error).message}`);
  process.exit(1);
}
