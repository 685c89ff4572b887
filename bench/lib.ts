import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export const BENCH_SECRET = 'bench-secret-that-is-at-least-32-characters';

export interface Server {
  url: string;
  stop(): void;
}

/** Starts a TypeScript entry point in its own Node process and waits until it listens. */
export async function startServer(entry: string, env: Record<string, string>, ready: RegExp): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${env.PORT}`, stop: () => child.kill('SIGTERM') };
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'edge-loyalty-bench-'));
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/** Loopback load with autocannon: each request's body comes from `body(index)`. */
export async function load(options: { url: string; seconds: number; connections: number; headers?: Record<string, string>; body: (index: number) => unknown }): Promise<LoadResult> {
  let index = 0;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    duration: options.seconds,
    connections: options.connections,
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(options.body(index++)) }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return response.json();
}

export function writeResults(name: string, results: unknown): string {
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
