import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('is the printed SDL of the current schema (run `npm run schema:print` after a change)', () => {
    expect(readFileSync('schema/schema.graphql', 'utf8')).toBe(printedSchema());
  });

  it('follows the conventions: Relay nodes, payload unions with typed errors, one input per mutation', () => {
    const sdl = printedSchema();
    expect(sdl).toContain('interface Node');
    expect(sdl).toMatch(/union EnrollMemberResult = DuplicateMemberError \| InvalidInputError \| MemberPayload/);
    expect(sdl).toMatch(/enrollMember\(input: EnrollMemberInput!\): EnrollMemberResult!/);
    expect(sdl).toMatch(/members\(after: String, before: String, first: Int, last: Int, search: String\): QueryMembersConnection!/);
  });
});
