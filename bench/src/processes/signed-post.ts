import { createHmac } from 'node:crypto';
import { Pool } from 'undici';

const SECRET = Buffer.from('bench-secret-bench-secret-bench-secret');

/**
 * How the baselines' senders (BullMQ worker, bare dispatcher) deliver: a Standard Webhooks HMAC signature like
 * Hookline's, one POST through `pool`, the response body drained. Resolves with the status code; rejects when there
 * is no response.
 */
export async function postSigned(pool: Pool, path: string, webhookId: string, body: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', SECRET).update(`${webhookId}.${timestamp}.`).update(body).digest('base64');
  const res = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', 'webhook-id': webhookId, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` },
    body,
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
  });
  await res.body.dump();
  return res.statusCode;
}
