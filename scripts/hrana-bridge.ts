// DEVELOPMENT AND TEST TOOL, NOT FOR PRODUCTION: the server side of Hrana v2 over HTTP (JSON),
// backed by a local libSQL file, so that `@libsql/client/web` running in workerd reaches a database
// on this machine: through a Miniflare service binding in the workerd tests, and over HTTP for
// `npm run dev:worker` when no libSQL server (`turso dev`) is installed (scripts/dev-worker.ts).
// It has no authentication, runs every statement on Node's one thread, and is not part of the
// product: production Workers talk to Turso or sqld.
import { randomUUID } from 'node:crypto';
import Database from 'libsql';

export interface HranaBridge {
  handle(request: Request): Promise<Response>;
  close(): void;
}

export interface HranaBridgeOptions {
  path: string;
  /** Streams (connections) not used for this long are closed. Defaults to 10 s. */
  idleTimeoutMs?: number;
}

// ---- Protocol shapes (Hrana v2, JSON encoding) ----

type Value =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

interface SqlSource {
  sql?: string | null;
  sql_id?: number | null;
}
interface Stmt extends SqlSource {
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
}
type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };
interface BatchStep {
  condition?: BatchCond | null;
  stmt: Stmt;
}

type StreamRequest =
  | { type: 'close' | 'get_autocommit' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; batch: { steps: BatchStep[] } }
  | ({ type: 'sequence' | 'describe' } & SqlSource)
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number };
interface PipelineRequest {
  baton?: string | null;
  requests: StreamRequest[];
}

interface Col {
  name: string | null;
  decltype: string | null;
}
interface StmtResult {
  cols: Col[];
  rows: Value[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
}
interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (ProtoError | null)[];
}
interface DescribeResult {
  params: { name: string | null }[];
  cols: Col[];
  is_explain: boolean;
  is_readonly: boolean;
}
type StreamResponse =
  | { type: 'close' | 'sequence' | 'store_sql' | 'close_sql' }
  | { type: 'execute'; result: StmtResult }
  | { type: 'batch'; result: BatchResult }
  | { type: 'describe'; result: DescribeResult }
  | { type: 'get_autocommit'; is_autocommit: boolean };
interface ProtoError {
  message: string;
  code?: string;
}
type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: ProtoError };

// ---- Streams: one libSQL connection each ----

type Connection = Database.Database;

interface Stream {
  conn: Connection;
  sqls: Map<number, string>;
  closed: boolean;
  idleTimer?: NodeJS.Timeout;
}

class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function openStream(path: string): Stream {
  const conn = new Database(path);
  conn.defaultSafeIntegers(true);
  // Every stream runs on this one Node thread, so a lock held by another stream cannot be released
  // while we block on it: a short busy timeout makes such contention fail fast with SQLITE_BUSY.
  conn.exec('PRAGMA busy_timeout = 1000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
  return { conn, sqls: new Map(), closed: false };
}

function closeStream(stream: Stream): void {
  if (stream.closed) return;
  stream.closed = true;
  clearTimeout(stream.idleTimer);
  try {
    // close() alone does not end an open transaction while the connection's prepared statements
    // are still alive (until they are garbage collected), so its locks would outlive the stream.
    if (stream.conn.inTransaction) stream.conn.exec('ROLLBACK');
  } finally {
    stream.conn.close();
  }
}

// ---- Values and arguments ----

function decodeValue(value: Value): unknown {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(value.value);
    case 'float':
    case 'text':
      return value.value;
    case 'blob':
      return Buffer.from(value.base64, 'base64');
    default:
      throw new HranaError(`Unknown value type ${JSON.stringify(value)}`, 'INVALID_VALUE');
  }
}

function encodeValue(value: unknown): Value {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) {
    return { type: 'blob', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  throw new HranaError(`Cannot encode column value of type ${typeof value}`, 'INTERNAL_ERROR');
}

type ProgramRow = [addr: bigint, opcode: string, p1: bigint, p2: bigint, p3: bigint, p4: unknown];

const isExplain = (sql: string) => /^\s*explain\b/i.test(sql);

function readRows(statement: Database.Statement, sql: string, args: unknown[]): unknown[][] {
  const rows = statement.raw(true).all(args) as unknown[][];
  // libsql leaves a fully iterated statement un-reset. An un-reset EXPLAIN of a write counts as an
  // active write statement, which silently defers autocommit COMMITs on the connection; get()
  // resets the statement when done (and EXPLAIN has no side effects to repeat).
  if (isExplain(sql)) statement.get(args);
  return rows;
}

// The compiled VDBE program is the only place the libsql package exposes parameter names.
function explainProgram(conn: Connection, sql: string): ProgramRow[] {
  const explain = `EXPLAIN ${sql.replace(/^\s*explain(\s+query\s+plan)?\b/i, '')}`;
  return readRows(conn.prepare(explain), explain, []) as ProgramRow[];
}

/** Parameter names by position (index 0 = `?1`); `null` for anonymous `?` parameters. */
function paramNames(program: ProgramRow[]): (string | null)[] {
  const names: (string | null)[] = [];
  for (const [, opcode, p1, , , p4] of program) {
    if (opcode === 'Variable') names[Number(p1) - 1] = typeof p4 === 'string' ? p4 : null;
  }
  return Array.from(names, (name) => name ?? null);
}

const stripPrefix = (name: string) => name.replace(/^[:@$]/, '');

function bindArgs(conn: Connection, sql: string, stmt: Stmt): unknown[] {
  const args = stmt.args ?? [];
  const named = stmt.named_args ?? [];
  if (named.length === 0) return args.map(decodeValue);
  if (args.length > 0) {
    throw new HranaError('Statement cannot use both positional and named arguments', 'ARGS_BOTH_POSITIONAL_AND_NAMED');
  }
  // libsql binds objects by name but aborts the process on an anonymous `?`, so named arguments
  // are turned into positional ones instead.
  const byName = new Map(named.map((arg) => [stripPrefix(arg.name), decodeValue(arg.value)]));
  return paramNames(explainProgram(conn, sql)).map((name) => (name === null ? null : (byName.get(stripPrefix(name)) ?? null)));
}

// ---- Stream requests ----

function resolveSql(stream: Stream, source: SqlSource): string {
  if (typeof source.sql === 'string') return source.sql;
  const sql = source.sql_id == null ? undefined : stream.sqls.get(source.sql_id);
  if (sql === undefined) throw new HranaError(`No stored SQL with id ${source.sql_id}`, 'SQL_NOT_FOUND');
  return sql;
}

function changeCounters(conn: Connection) {
  const [changes, total, rowid] = conn.prepare('SELECT changes(), total_changes(), last_insert_rowid()').raw(true).get([]) as [
    bigint,
    bigint,
    bigint,
  ];
  return { changes, total, rowid };
}

const toCol = (column: Database.ColumnDefinition): Col => ({ name: column.name, decltype: column.type });

function executeStmt(stream: Stream, stmt: Stmt): StmtResult {
  const { conn } = stream;
  const sql = resolveSql(stream, stmt);
  const prepared = conn.prepare(sql);
  const args = bindArgs(conn, sql, stmt);
  const before = changeCounters(conn);
  let cols: Col[] = [];
  let rows: unknown[][] = [];
  if (prepared.reader) {
    cols = prepared.columns().map(toCol);
    rows = readRows(prepared, sql, args);
  } else {
    prepared.run(args);
  }
  const after = changeCounters(conn);
  // changes() keeps the count of the last INSERT/UPDATE/DELETE, so only trust it if this statement changed something.
  const affected = after.total === before.total ? 0 : Number(after.changes);
  return {
    cols,
    rows: stmt.want_rows === false ? [] : rows.map((row) => row.map(encodeValue)),
    affected_row_count: affected,
    last_insert_rowid: affected > 0 ? after.rowid.toString() : null,
    rows_read: rows.length,
    rows_written: affected,
  };
}

function executeBatch(stream: Stream, steps: BatchStep[]): BatchResult {
  const result: BatchResult = { step_results: [], step_errors: [] };
  const holds = (cond: BatchCond): boolean => {
    switch (cond.type) {
      case 'ok':
        return result.step_results[cond.step] != null;
      case 'error':
        return result.step_errors[cond.step] != null;
      case 'not':
        return !holds(cond.cond);
      case 'and':
        return cond.conds.every(holds);
      case 'or':
        return cond.conds.some(holds);
      case 'is_autocommit':
        return !stream.conn.inTransaction;
      default:
        throw new HranaError(`Unknown batch condition ${JSON.stringify(cond)}`, 'INVALID_REQUEST');
    }
  };
  steps.forEach(({ condition, stmt }, i) => {
    result.step_results.push(null);
    result.step_errors.push(null);
    if (condition != null && !holds(condition)) return;
    try {
      result.step_results[i] = executeStmt(stream, stmt);
    } catch (err) {
      result.step_errors[i] = toProtoError(err);
    }
  });
  return result;
}

function describe(conn: Connection, sql: string): DescribeResult {
  const prepared = conn.prepare(sql);
  const program = explainProgram(conn, sql);
  return {
    params: paramNames(program).map((name) => ({ name })),
    cols: prepared.reader ? prepared.columns().map(toCol) : [],
    is_explain: isExplain(sql),
    is_readonly: !program.some(([, opcode, , p2]) => opcode === 'Transaction' && p2 !== 0n),
  };
}

function respond(stream: Stream, request: StreamRequest): StreamResponse {
  if (stream.closed) throw new HranaError('Stream is closed', 'STREAM_CLOSED');
  switch (request.type) {
    case 'close':
      closeStream(stream);
      return { type: 'close' };
    case 'execute':
      return { type: 'execute', result: executeStmt(stream, request.stmt) };
    case 'batch':
      return { type: 'batch', result: executeBatch(stream, request.batch.steps) };
    case 'sequence':
      stream.conn.exec(resolveSql(stream, request));
      return { type: 'sequence' };
    case 'describe':
      return { type: 'describe', result: describe(stream.conn, resolveSql(stream, request)) };
    case 'store_sql':
      stream.sqls.set(request.sql_id, request.sql);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(request.sql_id);
      return { type: 'close_sql' };
    case 'get_autocommit':
      return { type: 'get_autocommit', is_autocommit: !stream.conn.inTransaction };
    default:
      throw new HranaError(`Unknown request ${JSON.stringify(request)}`, 'INVALID_REQUEST');
  }
}

function toProtoError(err: unknown): ProtoError {
  if (err instanceof HranaError || err instanceof Database.SqliteError) {
    // libsql reports an empty (or comment-only) SQL string as a failure with code SQLITE_OK.
    if (err.code === 'SQLITE_OK') return { message: 'SQL string does not contain any statement', code: 'SQL_NO_STATEMENT' };
    return { message: err.message, code: err.code };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

function runRequest(stream: Stream, request: StreamRequest): StreamResult {
  try {
    return { type: 'ok', response: respond(stream, request) };
  } catch (err) {
    return { type: 'error', error: toProtoError(err) };
  }
}

// ---- HTTP envelope ----

function parsePipeline(text: string): PipelineRequest {
  const body: unknown = JSON.parse(text);
  if (typeof body !== 'object' || body === null) throw new Error('Body must be a JSON object');
  const { baton, requests } = body as Record<string, unknown>;
  if (baton != null && typeof baton !== 'string') throw new Error('`baton` must be a string or null');
  const valid = Array.isArray(requests) && requests.every((r) => typeof r === 'object' && r !== null && typeof r.type === 'string');
  if (!valid) throw new Error('`requests` must be an array of objects with a `type`');
  return body as PipelineRequest;
}

// `message`/`code` let the client raise a ResponseError carrying the code; `error` is for humans.
const jsonError = (status: number, message: string, code: string) => Response.json({ error: message, message, code }, { status });

export function createHranaBridge({ path, idleTimeoutMs = 10_000 }: HranaBridgeOptions): HranaBridge {
  const streams = new Map<string, Stream>();
  let closed = false;

  const takeStream = (baton: string): Stream | undefined => {
    const stream = streams.get(baton);
    streams.delete(baton);
    clearTimeout(stream?.idleTimer);
    return stream;
  };

  // A fresh baton per response, as sqld does; the old one becomes invalid.
  const parkStream = (stream: Stream): string => {
    const baton = randomUUID();
    streams.set(baton, stream);
    stream.idleTimer = setTimeout(() => {
      streams.delete(baton);
      closeStream(stream);
    }, idleTimeoutMs).unref();
    return baton;
  };

  const pipeline = async (request: Request): Promise<Response> => {
    let body: PipelineRequest;
    try {
      body = parsePipeline(await request.text());
    } catch (err) {
      return jsonError(400, `Invalid pipeline request: ${(err as Error).message}`, 'INVALID_REQUEST');
    }
    if (closed) return jsonError(503, 'Hrana bridge is closed', 'BRIDGE_CLOSED');
    const stream = body.baton == null ? openStream(path) : takeStream(body.baton);
    if (stream === undefined) return jsonError(404, 'Unknown or expired baton', 'STREAM_EXPIRED');
    const results = body.requests.map((req) => runRequest(stream, req));
    const baton = stream.closed ? null : parkStream(stream);
    return Response.json({ baton, base_url: null, results });
  };

  return {
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (closed) return jsonError(503, 'Hrana bridge is closed', 'BRIDGE_CLOSED');
      if (request.method === 'GET' && pathname === '/v2') return new Response('Hrana v2 bridge', { status: 200 });
      if (request.method === 'POST' && pathname === '/v2/pipeline') return pipeline(request);
      return jsonError(404, `Not found: ${request.method} ${pathname}`, 'NOT_FOUND');
    },
    close() {
      closed = true;
      for (const stream of streams.values()) closeStream(stream);
      streams.clear();
    },
  };
}
