/**
 * Runs every ```graphql block of README.md, in order, against an API and checks what the README says
 * each operation returns. The test suite runs it against the Node app (test/readme.test.ts); run it
 * yourself against a server you started on a fresh database (`npm start`, `npm run dev:worker`):
 *   npm run readme:check -- --url http://localhost:8787/graphql --token "$(npm run -s token -- --role admin)"
 *
 * Conventions of the README's blocks:
 * - a block holds one or more operations; each is sent on its own, with an admin token;
 * - after an operation, a comment `# returns {…}` (JSON, may continue on further `#` lines) states
 *   its `data`: every key it lists must be there with that value (keys it omits may be anything);
 * - a string `"<member id>"` in a stated result captures the value found there, and later operations
 *   get it wherever they say `<member id>`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, print, type OperationDefinitionNode } from 'graphql';

export interface ReadmeOperation {
  /** The operation as written, placeholders included. */
  source: string;
  /** What the README says it returns (the response's `data`), placeholders included. */
  returns: unknown;
  /** The start of the operation on one line, to name it in messages. */
  title: string;
}

export type Execute = (query: string) => Promise<{ data?: unknown; errors?: Array<{ message: string }> }>;

const PLACEHOLDER = /<([a-z][a-z0-9 ]*)>/g;
const WHOLE_PLACEHOLDER = /^<([a-z][a-z0-9 ]*)>$/;

/** Every ```graphql block of a markdown text, also those indented in a list (dedented). */
export function graphqlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^([ \t]*)```graphql\n([\s\S]*?)^\1```/gm)].map(([, indent, block]) =>
    block!
      .split('\n')
      .map((line) => (line.startsWith(indent!) ? line.slice(indent!.length) : line))
      .join('\n'),
  );
}

/** The operations of one block, each with the result stated after it. */
export function operationsOf(block: string): ReadmeOperation[] {
  const document = parse(block);
  const definitions = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  );
  if (definitions.length !== document.definitions.length) throw new Error(`README blocks hold operations only:\n${block}`);
  return definitions.map((definition, index) => {
    const source = block.slice(definition.loc!.start, definition.loc!.end);
    const after = block.slice(definition.loc!.end, definitions[index + 1]?.loc?.start ?? block.length);
    return { source, returns: statedResult(after, source), title: source.replace(/\s+/g, ' ').slice(0, 110) };
  });
}

function statedResult(comments: string, operation: string): unknown {
  const lines = comments
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('#'));
  const start = lines.findIndex((line) => /^#\s*returns\b/.test(line));
  if (start < 0) throw new Error(`Say what this README example returns (a "# returns {…}" comment after it):\n${operation}`);
  const json = lines
    .slice(start)
    .map((line) => line.replace(/^#\s*(returns\b)?/, ''))
    .join('\n');
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new Error(`The "# returns" of this README example is not JSON (${(error as Error).message}):\n${operation}\n${json}`);
  }
}

/** Every operation of every block of the README, in order. */
export function readmeOperations(markdown: string): ReadmeOperation[] {
  return graphqlBlocks(markdown).flatMap(operationsOf);
}

/** Fills `<name>` placeholders with values captured from earlier results. */
export function substitute(source: string, captured: Map<string, unknown>): string {
  return source.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (!captured.has(name)) throw new Error(`${placeholder} is not set by an earlier example's "# returns"`);
    return String(captured.get(name));
  });
}

/**
 * Compares a result with what the README states, capturing placeholders. Returns the differences
 * (empty when it matches): objects must have every stated key, arrays every stated element in order
 * and no more, everything else must be equal.
 */
export function compare(actual: unknown, stated: unknown, captured: Map<string, unknown>, path = 'data'): string[] {
  if (typeof stated === 'string' && WHOLE_PLACEHOLDER.test(stated)) {
    const name = stated.slice(1, -1);
    if (actual === undefined || actual === null) return [`${path}: expected a value for ${stated}, got ${JSON.stringify(actual)}`];
    if (captured.has(name) && captured.get(name) !== actual)
      return [`${path}: expected ${stated} = ${JSON.stringify(captured.get(name))}, got ${JSON.stringify(actual)}`];
    captured.set(name, actual);
    return [];
  }
  if (Array.isArray(stated)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${JSON.stringify(actual)}`];
    if (actual.length !== stated.length)
      return [`${path}: expected ${stated.length} element(s), got ${actual.length}: ${JSON.stringify(actual)}`];
    return stated.flatMap((element, index) => compare(actual[index], element, captured, `${path}[${index}]`));
  }
  if (stated !== null && typeof stated === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(stated).flatMap(([key, value]) =>
      compare((actual as Record<string, unknown>)[key], value, captured, `${path}.${key}`),
    );
  }
  return Object.is(actual, stated) ? [] : [`${path}: expected ${JSON.stringify(stated)}, got ${JSON.stringify(actual)}`];
}

export interface ExampleOutcome {
  operation: ReadmeOperation;
  query: string;
  response: Awaited<ReturnType<Execute>>;
  differences: string[];
}

/** Runs the operations in order; a later one may use what an earlier one captured. */
export async function runReadmeExamples(operations: ReadmeOperation[], execute: Execute): Promise<ExampleOutcome[]> {
  const captured = new Map<string, unknown>();
  const outcomes: ExampleOutcome[] = [];
  for (const operation of operations) {
    const query = print(parse(substitute(operation.source, captured)));
    const response = await execute(query);
    const differences = response.errors?.length
      ? response.errors.map((error) => `error: ${error.message}`)
      : compare(response.data, operation.returns, captured);
    outcomes.push({ operation, query, response, differences });
  }
  return outcomes;
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://localhost:8787/graphql' },
      token: { type: 'string' },
      readme: { type: 'string', default: 'README.md' },
    },
  });
  if (!values.token) {
    console.error('usage: npm run readme:check -- [--url http://localhost:8787/graphql] --token "$(npm run -s token -- --role admin)"');
    process.exit(2);
  }
  const execute: Execute = async (query) => {
    const response = await fetch(values.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${values.token}` },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as Awaited<ReturnType<Execute>>;
  };
  const outcomes = await runReadmeExamples(readmeOperations(readFileSync(values.readme, 'utf8')), execute);
  let failed = 0;
  for (const { operation, differences } of outcomes) {
    console.log(`${differences.length === 0 ? 'ok  ' : 'FAIL'} ${operation.title}`);
    for (const difference of differences) console.log(`       ${difference}`);
    if (differences.length > 0) failed++;
  }
  console.log(`${outcomes.length - failed} of ${outcomes.length} README examples answer as the README says`);
  process.exit(failed === 0 ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
