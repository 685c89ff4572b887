import { Webhook } from 'standardwebhooks';

const SECRET_BYTES = 32;

/** A new signing secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-signature` lists a `v1` HMAC-SHA256 over
 * `id.timestamp.body` per active secret (after a rotation, the new one and the previous one), so a
 * receiver that still knows only the old secret keeps verifying during the grace period.
 */
export function signedHeaders(messageId: string, at: Date, body: string, secrets: string[]): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
