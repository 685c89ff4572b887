/** The page's only connection to the server: GraphQL requests to this origin's /graphql with the admin token. */

/** What went wrong, in words for the operator, with the API's code when it gave one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Sends one operation; rejects with an ApiError for a network failure, a refused token or any GraphQL error. */
export async function request<Data>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(`The server cannot be reached (${error instanceof Error ? error.message : String(error)}).`);
  }
  let body: GraphQLResponse<Data>;
  try {
    body = (await response.json()) as GraphQLResponse<Data>;
  } catch {
    throw new ApiError(`The server answered ${response.status} ${response.statusText} without a GraphQL response.`);
  }
  const [error] = body.errors ?? [];
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`);
  return body.data;
}

/** A typed error a field returned in its result union (`... on Error { code message }`). */
export interface ErrorResult {
  __typename: string;
  code: string;
  message: string;
}

/** The success member of a result union, or an ApiError carrying the typed error the field returned. */
export function unwrap<Success extends { __typename: string }>(result: Success | ErrorResult, success: Success['__typename']): Success {
  if (result.__typename === success) return result as Success;
  const error = result as ErrorResult;
  throw new ApiError(error.message, error.code);
}
