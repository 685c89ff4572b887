import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global setup: every temporary file of a test run (each test file's database, the CLI's
 * and the browser's scratch directories, in workers and child processes alike, which all ask
 * `os.tmpdir()`) goes into one directory of the run, removed when the run ends. Without it, each
 * `npm test` left thousands of database files behind in the system's temporary directory.
 */
export default function setup() {
  const runDirectory = mkdtempSync(join(tmpdir(), 'edge-loyalty-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = runDirectory;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(runDirectory, { recursive: true, force: true });
  };
}
