import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import type { GraphQLResponse, TestApp } from './test-app';

const schemaDir = join(import.meta.dirname, '../../schema/events');

/** Every JSON Schema of `schema/events/`, compiled by ajv (draft 2020-12, strict), by `type.vN`. */
export function eventSchemas() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return new Map(
    readdirSync(schemaDir).map((file) => {
      const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
      return [file.replace(/\.json$/, ''), ajv.compile(schema)];
    }),
  );
}

const validators = eventSchemas();

/** Fails unless the event (a feed entry's `cursor` aside) matches its type's schema, naming what does not. */
export function expectValidEvent(event: { type: string; version: number; cursor?: string }) {
  const { cursor: _cursor, ...envelope } = event;
  const validate = validators.get(`${envelope.type}.v${envelope.version}`);
  expect(validate, `no schema for ${envelope.type} v${envelope.version}`).toBeDefined();
  expect(validate!(envelope), `${envelope.type}: ${JSON.stringify(validate!.errors)}\n${JSON.stringify(envelope)}`).toBe(true);
}

export const EVENTS = `query($after: String, $first: Int, $types: [EventType!], $memberId: ID) {
  events(after: $after, first: $first, types: $types, memberId: $memberId) {
    edges { cursor node { id type version memberId data occurredAt } }
    pageInfo { endCursor hasNextPage } } }`;

/** `member.enrolled` → MEMBER_ENROLLED */
export const enumOf = (type: string) => type.toUpperCase().replace('.', '_');

/** The program's whole feed (or a filtered part), as the envelope a webhook would carry. */
export async function readEvents(app: TestApp, filter: { types?: string[]; memberId?: string; programId?: string } = {}) {
  const token = await app.token({ role: 'admin', programId: filter.programId ?? 'acme' });
  const all: Array<{
    id: string;
    type: string;
    version: number;
    programId: string;
    timestamp: string;
    data: Record<string, any>;
    cursor: string;
  }> = [];
  let after: string | null = null;
  for (;;) {
    const response: GraphQLResponse = await app.graphql(
      EVENTS,
      { after, first: 100, types: filter.types?.map(enumOf), memberId: filter.memberId },
      token,
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const page: { edges: Array<{ cursor: string; node: any }>; pageInfo: { hasNextPage: boolean; endCursor: string } } =
      response.data!.events;
    for (const { cursor, node } of page.edges) {
      all.push({
        id: node.id,
        type: node.type.toLowerCase().replace('_', '.'),
        version: node.version,
        programId: filter.programId ?? 'acme',
        timestamp: node.occurredAt,
        data: node.data,
        cursor,
      });
    }
    if (!page.pageInfo.hasNextPage) return all;
    after = page.pageInfo.endCursor;
  }
}
