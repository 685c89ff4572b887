import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GraphQLField } from 'graphql';
import { printedSchema, schema } from '../../src/api/schema';

describe('schema/schema.graphql', () => {
  it('is the printed SDL of the current schema (run `npm run schema:print` after a change)', () => {
    expect(readFileSync('schema/schema.graphql', 'utf8')).toBe(printedSchema());
  });

  it('follows the conventions: Relay nodes, payload unions with typed errors, one input per mutation', () => {
    const sdl = printedSchema();
    expect(sdl).toContain('interface Node');
    expect(sdl).toMatch(/union EnrollMemberResult = DuplicateMemberError \| InvalidInputError \| MemberPayload/);
    const signature = (field: GraphQLField<unknown, unknown>) =>
      `(${field.args
        .map((arg) => `${arg.name}: ${arg.type}`)
        .sort()
        .join(', ')}): ${field.type}`;
    expect(signature(schema.getMutationType()!.getFields().enrollMember!)).toBe('(input: EnrollMemberInput!): EnrollMemberResult!');
    expect(signature(schema.getQueryType()!.getFields().members!)).toBe(
      '(after: String, attributes: JSONObject, before: String, first: Int, last: Int, search: String, tags: [String!]): QueryMembersConnection!',
    );
  });
});
