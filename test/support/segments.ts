import { expect } from 'vitest';
import type { TestApp } from './test-app';

const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;
export const SEGMENT_FIELDS = `id name status definition count lastRefreshedAt members(first: 50) { edges { node { email } } }`;
export const CREATE_SEGMENT = `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { __typename ${errorFields} ... on SegmentPayload { segment { ${SEGMENT_FIELDS} } } } }`;
export const REFRESH_SEGMENT = `mutation($input: SegmentIdInput!) { refreshSegment(input: $input) { __typename ${errorFields} ... on SegmentPayload { segment { ${SEGMENT_FIELDS} } } } }`;

/** Creates a segment as admin; returns the union member (payload or typed error). */
export async function createSegment(app: TestApp, definition: unknown, name = 'Segment') {
  const response = await app.graphql(CREATE_SEGMENT, { input: { name, definition } }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.createSegment as Record<string, any>;
}

/** The emails of a new segment's members, sorted. */
export async function segmentEmails(app: TestApp, definition: unknown) {
  const created = await createSegment(app, definition);
  expect(created.__typename, JSON.stringify(created)).toBe('SegmentPayload');
  expect(created.segment.count).toBe(created.segment.members.edges.length);
  return created.segment.members.edges.map((edge: any) => edge.node.email.split('@')[0]).sort();
}
