import { createHmac } from 'node:crypto';
import { Pool } from 'undici';

const SECRET = Buffer.from('bench-secret-bench-secret-bench-secret');

/** What one signed POST sent and got back. */
export interface SignedPostResult {
  status: number;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string | string[] | undefined>;
}

/**
 * How the baselines' senders (BullMQ worker, bare dispatcher) deliver: a Standard Webhooks HMAC signature like
 * Hookline's, one POST through `pool`, the response body drained. Rejects when there is no response.
 */
export async function postSigned(pool: Pool, path: string, webhookId: string, body: string): Promise<SignedPostResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', SECRET).update(`${webhookId}.${timestamp}.`).update(body).digest('base64');
  const requestHeaders = { 'content-type': 'application/json', 'webhook-id': webhookId, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
  const res = await pool.request({ method: 'POST', path, headers: requestHeaders, body, headersTimeout: 15_000, bodyTimeout: 15_000 });
  await res.body.dump();
  return { status: res.statusCode, requestHeaders, responseHeaders: res.headers };
}
