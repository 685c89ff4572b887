/** GraphQL documents shared by the tests, written as a client would send them. */
export const MEMBER_FIELDS = `id externalId email name birthday status consents { email sms push } enrolledAt erasedAt`;

const resultFields = `
  __typename
  ... on MemberPayload { member { ${MEMBER_FIELDS} } }
  ... on Error { code message }
  ... on InvalidInputError { issues { path message } }
`;
const withDuplicate = `${resultFields} ... on DuplicateMemberError { field }`;

export const ENROLL = `mutation Enroll($input: EnrollMemberInput!) { enrollMember(input: $input) { ${withDuplicate} } }`;
export const UPDATE = `mutation Update($input: UpdateMemberInput!) { updateMember(input: $input) { ${withDuplicate} } }`;
export const ERASE = `mutation Erase($input: EraseMemberInput!) { eraseMember(input: $input) { ${resultFields} } }`;
export const MEMBER = `query Member($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`;
export const MEMBER_BY_EXTERNAL_ID = `query ByExternalId($externalId: String!) { memberByExternalId(externalId: $externalId) { ${MEMBER_FIELDS} } }`;
export const MEMBERS = `query Members($first: Int, $after: String, $last: Int, $before: String, $search: String) {
  members(first: $first, after: $after, last: $last, before: $before, search: $search) {
    edges { cursor node { id email name externalId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
export const ME = `query Me { me { ${MEMBER_FIELDS} } }`;
export const PROGRAM = `query Program { program { id name createdAt } }`;
export const NODE = `query Node($id: ID!) { node(id: $id) { __typename id ... on Member { email } ... on Program { name } } }`;
