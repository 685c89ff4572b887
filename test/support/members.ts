import { decodeGlobalID } from '@pothos/plugin-relay';
import { expect } from 'vitest';
import { ENROLL } from './operations';
import type { TestApp } from './test-app';

/** Enrolls a member through GraphQL and returns its global id and raw id. */
export async function enroll(app: TestApp, input: Record<string, unknown>, token?: string) {
  const response = await app.graphql(ENROLL, { input }, token ?? (await app.token({ role: 'admin' })));
  const result = response.data?.enrollMember;
  expect(result?.__typename, JSON.stringify(response)).toBe('MemberPayload');
  const globalId: string = result.member.id;
  return { globalId, memberId: decodeGlobalID(globalId).id, member: result.member };
}
