import { readFileSync } from 'node:fs';
import { getNamedType, isAbstractType, parse, visit, type FieldNode, type SelectionSetNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/api/schema';
import { readmeOperations, runReadmeExamples, type ExampleOutcome } from '../scripts/readme-examples';
import { closeSoundly } from './support/ledger';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Every GraphQL block of the README, run in order as an admin would paste them into GraphiQL on a
 * fresh database today (the clock is the real one, so dates in the README must hold from today on).
 */
const operations = readmeOperations(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));

/** A union or interface result must select `__typename` and `... on Error { code message }`. */
function missingErrorSelection(source: string): string[] {
  const problems: string[] = [];
  const document = parse(source);
  visit(document, {
    OperationDefinition(operation) {
      const root = operation.operation === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== 'Field') continue;
        const type = getNamedType(root.getFields()[selection.name.value]?.type);
        if (!type || !isAbstractType(type)) continue;
        const selected = selection.selectionSet?.selections ?? [];
        const hasTypename = selected.some((s) => s.kind === 'Field' && s.name.value === '__typename');
        const errorFragment = selected.find((s) => s.kind === 'InlineFragment' && s.typeCondition?.name.value === 'Error') as
          | { selectionSet: SelectionSetNode }
          | undefined;
        const errorFields = new Set(errorFragment?.selectionSet.selections.map((s) => (s as FieldNode).name.value));
        if (!hasTypename || !errorFields.has('code') || !errorFields.has('message')) {
          problems.push(`${selection.name.value}: select __typename and ... on Error { code message }`);
        }
      }
    },
  });
  return problems;
}

let app: TestApp;
let outcomes: ExampleOutcome[];
beforeAll(async () => {
  app = await createTestApp({ now: new Date().toISOString() });
  const admin = await app.token({ role: 'admin' });
  outcomes = await runReadmeExamples(operations, (query) => app.graphql(query, {}, admin));
});
afterAll(() => closeSoundly(app));

describe('README.md GraphQL blocks', () => {
  it('are many, and each says what it returns', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('select __typename and ... on Error { code message } on every result that can be an error', () => {
    const problems = operations.flatMap((operation) =>
      missingErrorSelection(operation.source).map((problem) => `${operation.title}\n  ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('answer what the README says, run in order against a fresh database', () => {
    const failures = outcomes
      .filter((outcome) => outcome.differences.length > 0)
      .map(({ query, differences, response }) => `${query}\n  ${differences.join('\n  ')}\n  response: ${JSON.stringify(response)}`);
    expect(failures).toEqual([]);
  });
});
