export const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of a response is read (for the delivery log); the rest is never downloaded. */
const MAX_RESPONSE_BYTES = 4096;

export interface HttpAttempt {
  status: number | null;
  retryAfter: string | null;
  /** Start of the response body, for the log. */
  body: string;
  durationMs: number;
  /** Why no response came (timeout, refused …). */
  error: string | null;
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Reads at most `limit` bytes of a body and drops the rest (a 50 MB answer costs 4 KB). */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const joined = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, joined.length - offset);
    joined.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(joined);
}

/**
 * One POST of a signed delivery. Redirects are not followed (a 3xx is an answer, and not a
 * success), and the whole exchange, reading the answer included, ends after `timeoutMs`: a
 * receiver that hangs or streams forever never holds the dispatcher.
 */
export async function postWebhook(
  fetcher: Fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<HttpAttempt> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'edge-loyalty-webhooks/1', ...headers },
      body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const text = await readBounded(response, MAX_RESPONSE_BYTES).catch(() => '');
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text, durationMs: elapsed(), error: null };
  } catch (error) {
    const reason = controller.signal.aborted
      ? `timed out: ${(controller.signal.reason as Error).message}`
      : error instanceof Error
        ? error.cause instanceof Error
          ? `${error.message}: ${error.cause.message}`
          : error.message
        : String(error);
    return { status: null, retryAfter: null, body: '', durationMs: elapsed(), error: reason };
  } finally {
    clearTimeout(timer);
  }
}
