/**
 * Streams a CSV or NDJSON file of past orders or members through importOrders / importMembers,
 * 1,000 rows a call, with a progress bar; idempotent (the API skips order ids it has), resumable
 * (a checkpoint file next to the input records the last line committed), and it writes the rows
 * refused, with their line numbers and why, to <file>.rejected.csv.
 *
 *   npm run import -- orders.csv               (in process, on the local database: LIBSQL_URL)
 *   npm run import -- members.ndjson --url http://localhost:8787/graphql --token "$TOKEN"
 *   npm run import -- --help
 */
import { createReadStream, existsSync } from 'node:fs';
import { appendFile, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parse, type Options as CsvOptions } from 'csv-parse';
import { SingleBar } from 'cli-progress';
import { prepareRows, type ImportKind, type LocalRejection, type PreparedRow, type SourceRow } from './import-rows';

const usage = `Imports past orders or members from CSV or NDJSON, resumably.

usage: npm run import -- FILE [options]

  --kind orders|members   what the file holds [members when the file name says so, else orders]
  --earn-points           imported orders earn points at the base rate (default: history only)
  --url URL               the GraphQL endpoint of a running server (default: in process, on LIBSQL_URL)
  --token JWT             an admin token for --url (or LOYALTY_TOKEN)
  --program ID            in process: the program to import into [DEFAULT_PROGRAM_ID, or "default"]
  --batch N               rows per call, 1–1000 [1000]
  --restart               ignore a checkpoint left by an interrupted run
  -h, --help              this help

orders.csv: orderId,memberExternalId,placedAt,currency,total,discount,sku,category,quantity,unitPrice
  (one row per order line; rows of one order follow each other; total defaults to the lines' sum)
members.csv: externalId,email,name,birthday,consentEmail,consentSms,consentPush,tags,attributes
  (tags separated by |, attributes as a JSON object)
NDJSON: one order (with "lines": [...]) or one member per line, same field names.`;

interface Checkpoint {
  file: string;
  size: number;
  /** Every row that starts on a line up to this one is committed (or reported). */
  line: number;
  imported: number;
  skipped: number;
  rejected: number;
}

type Call = (
  kind: ImportKind,
  rows: Record<string, unknown>[],
  earnPoints: boolean,
) => Promise<{ done: number; skipped: number; rejected: Array<{ index: number; code: string; message: string }> }>;

/** What one import mutation answers: its payload's counts and rejections, or a typed error's code and message. */
interface ImportAnswer {
  imported?: number;
  created?: number;
  updated?: number;
  skipped?: number;
  rejected?: Array<{ index: number; code: string; message: string }>;
  code?: string;
  message?: string;
}

const MUTATIONS: Record<ImportKind, string> = {
  orders: `mutation($input: ImportOrdersInput!) { importOrders(input: $input) { __typename ... on ImportOrdersPayload { imported skipped rejected { index code message } } ... on Error { code message } } }`,
  members: `mutation($input: ImportMembersInput!) { importMembers(input: $input) { __typename ... on ImportMembersPayload { created updated rejected { index code message } } ... on Error { code message } } }`,
};

/** Posts one call; retries what is worth retrying (throttled, a server restarting), fails on the rest. */
function graphqlCall(post: (body: string) => Promise<Response>): Call {
  return async (kind, rows, earnPoints) => {
    const input = kind === 'orders' ? { orders: rows, earnPoints } : { members: rows };
    for (let attempt = 1; ; attempt++) {
      const response = await post(JSON.stringify({ query: MUTATIONS[kind], variables: { input } })).catch((error: Error) => error);
      if (response instanceof Error || response.status === 429 || response.status >= 500) {
        if (attempt >= 5)
          throw new Error(`the API did not answer: ${response instanceof Error ? response.message : `HTTP ${response.status}`}`);
        const wait = response instanceof Error ? 1 : Number(response.headers.get('retry-after') ?? 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 30) * 1000));
        continue;
      }
      const body = (await response.json()) as {
        data?: Partial<Record<'importOrders' | 'importMembers', ImportAnswer>>;
        errors?: Array<{ message: string }>;
      };
      if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
      const result = body.data?.[kind === 'orders' ? 'importOrders' : 'importMembers'];
      if (!result) throw new Error('the API answered without data');
      if (!result.rejected) throw new Error(`${result.code}: ${result.message}`);
      return {
        done: kind === 'orders' ? (result.imported ?? 0) : (result.created ?? 0) + (result.updated ?? 0),
        skipped: result.skipped ?? 0,
        rejected: result.rejected,
      };
    }
  };
}

/** The app in this process, on the local database, with an admin token of its own program. */
async function inProcessCall(programFlag: string | undefined): Promise<{ call: Call; close: () => void }> {
  const [
    { loadConfig },
    { openNodeDatabase },
    { createApp },
    { commandRegistry },
    { systemClock },
    { createInProcessSerializer },
    { createMemoryRateLimiter },
    { createProgramsService },
    { signToken },
  ] = await Promise.all([
    import('../src/config'),
    import('../src/platform/node/database'),
    import('../src/app'),
    import('../src/commands'),
    import('../src/platform/clock'),
    import('../src/platform/node/in-process-serializer'),
    import('../src/platform/node/rate-limiter'),
    import('../src/modules/programs/service'),
    import('../src/platform/auth/sign'),
  ]);
  const config = loadConfig(process.env, 'node');
  // Each call commits thousands of pages: a thread of its own copies them back from the WAL.
  const { db, client } = await openNodeDatabase({ ...config.libsql, walCheckpointer: true });
  const clock = systemClock;
  const serializer = createInProcessSerializer(commandRegistry, { db, clock, fingerprints: config.fingerprints });
  // The importer is the only client of this app: nothing to throttle.
  const rateLimiter = createMemoryRateLimiter(
    Object.fromEntries(Object.keys(config.rateLimits).map((bucket) => [bucket, Number.MAX_SAFE_INTEGER])) as typeof config.rateLimits,
  );
  const deps = {
    db,
    clock,
    serializer,
    config,
    fingerprints: config.fingerprints,
    rateLimiter,
    logger: { ...console, info: () => undefined },
  };
  const programId = programFlag ?? config.defaultProgram.id;
  if (!programFlag) await createProgramsService(deps).ensure(config.defaultProgram);
  const app = createApp(deps);
  const { secret, issuer, audience } = config.auth;
  if (!secret) throw new UsageError('in process, the import signs its own admin token with JWT_SECRET: set it, or use --url and --token');
  // A fresh short-lived token per call: an import may outlast any token's allowed lifetime.
  const post = async (body: string) => {
    const token = await signToken(secret, { role: 'admin', programId, subject: 'import-cli', expiresIn: '10m', issuer, audience });
    return app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
  };
  return { call: graphqlCall(post), close: () => client.close() };
}

async function* sourceRows(
  file: string,
  onMalformed: (rejection: LocalRejection) => void,
  onBytes: (bytes: number) => void,
): AsyncGenerator<SourceRow> {
  const stream = createReadStream(file);
  stream.on('data', (chunk) => onBytes(chunk.length));
  if (/\.(nd)?jsonl?$/i.test(file)) {
    let line = 0;
    for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (!text.trim()) continue;
      try {
        const fields = JSON.parse(text);
        if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error('not a JSON object');
        yield { line, fields };
      } catch (error) {
        onMalformed({ line, id: null, code: 'MALFORMED', message: `not a JSON object: ${(error as Error).message}` });
      }
    }
    return;
  }
  const options: CsvOptions = {
    columns: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      onMalformed({
        line: (error as { lines?: number } | undefined)?.lines ?? 0,
        id: null,
        code: 'MALFORMED',
        message: error?.message ?? 'malformed CSV row',
      });
      return undefined;
    },
  };
  const parser = stream.pipe(parse(options));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>)
    yield { line: info.lines, fields: record };
}

const csvCell = (value: unknown) => `"${String(value ?? '').replace(/"/g, '""')}"`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      'earn-points': { type: 'boolean', default: false },
      url: { type: 'string' },
      token: { type: 'string' },
      program: { type: 'string' },
      batch: { type: 'string', default: '1000' },
      restart: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(usage);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('give one file to import');
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const kind = (values.kind ?? (/member/i.test(file.split('/').pop()!) ? 'members' : 'orders')) as ImportKind;
  if (kind !== 'orders' && kind !== 'members') throw new UsageError('--kind is orders or members');
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new UsageError('--batch is a whole number from 1 to 1000');
  const token = values.token ?? process.env.LOYALTY_TOKEN;
  if (values.url && !token) throw new UsageError('--url needs --token (or LOYALTY_TOKEN): an admin token');

  const size = (await stat(file)).size;
  const checkpointFile = `${file}.checkpoint.json`;
  const reportFile = `${file}.rejected.csv`;
  const saved: Checkpoint | null =
    !values.restart && existsSync(checkpointFile) ? JSON.parse(await readFile(checkpointFile, 'utf8')) : null;
  const resume = saved && saved.file === file && saved.size === size ? saved : null;
  const progress: Checkpoint = resume ?? { file, size, line: 0, imported: 0, skipped: 0, rejected: 0 };
  if (!resume) await writeFile(reportFile, 'line,id,code,message\n');
  if (resume) console.error(`resuming after line ${resume.line} (${resume.imported} imported so far)`);

  const { call, close } = values.url
    ? {
        call: graphqlCall((body) =>
          fetch(values.url!, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body }),
        ),
        close: () => undefined,
      }
    : await inProcessCall(values.program);

  const bar = new SingleBar({
    format: `${kind} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {rejected} rejected`,
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(size, 0, { rows: 0, rate: 0, rejected: progress.rejected });
  let bytes = 0;
  let rows = 0;
  const started = Date.now();
  let local: LocalRejection[] = [];
  const report = async (rejections: LocalRejection[]) => {
    progress.rejected += rejections.length;
    if (rejections.length)
      await appendFile(reportFile, rejections.map((r) => [r.line, r.id, r.code, r.message].map(csvCell).join(',')).join('\n') + '\n');
  };
  const commit = async (batch: PreparedRow[], lastLine: number) => {
    if (batch.length > 0) {
      const result = await call(
        kind,
        batch.map((row) => row.input),
        values['earn-points']!,
      );
      progress.imported += result.done;
      progress.skipped += result.skipped;
      local.push(
        ...result.rejected.map((rejection) => ({
          line: batch[rejection.index]!.line,
          id: batch[rejection.index]!.id,
          code: rejection.code,
          message: rejection.message,
        })),
      );
    }
    await report(local.sort((a, b) => a.line - b.line));
    local = [];
    progress.line = lastLine;
    rows += batch.length;
    // Written atomically: a crash leaves the previous checkpoint or this one, never half of one.
    await writeFile(`${checkpointFile}.tmp`, JSON.stringify(progress));
    await rename(`${checkpointFile}.tmp`, checkpointFile);
    bar.update(bytes, { rows, rate: Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000)), rejected: progress.rejected });
  };

  let batch: PreparedRow[] = [];
  let batchBytes = 0;
  const source = sourceRows(
    file,
    (rejection) => {
      // Lines before the checkpoint were reported by the run that committed them.
      if (rejection.line > progress.line) local.push(rejection);
    },
    (read) => (bytes += read),
  );
  for await (const prepared of prepareRows(kind, source)) {
    const line = 'rejected' in prepared ? prepared.rejected.line : prepared.line;
    if (line <= progress.line) continue;
    if ('rejected' in prepared) {
      local.push(prepared.rejected);
      continue;
    }
    const rowBytes = JSON.stringify(prepared.input).length;
    // A call stays under the request body limit (1 MiB by default) as well as under 1,000 rows.
    if (batch.length >= batchSize || batchBytes + rowBytes > 800_000) {
      await commit(batch, prepared.line - 1);
      batch = [];
      batchBytes = 0;
    }
    batch.push(prepared);
    batchBytes += rowBytes;
  }
  await commit(batch, Number.MAX_SAFE_INTEGER);
  bar.update(size);
  bar.stop();
  close();
  await rm(checkpointFile, { force: true });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${kind}: ${progress.imported} imported, ${progress.skipped} already there, ${progress.rejected} rejected` +
      `${progress.rejected ? ` (see ${reportFile})` : ''}; ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001))} rows/s)`,
  );
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  console.error(
    `npm run import: ${(error as Error).message}${error instanceof UsageError ? '\nRun `npm run import -- --help` for the options.' : ''}`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
