import { createHash } from 'node:crypto';
import { ProblemError } from '@hookline/service-kit';
import { DataSource } from 'typeorm';
import { answerWithin } from './append-deadline';
import { IdempotentRequest, keyReusedProblem } from './idempotency-key';

type IdempotencyClaim<R> =
  | { kind: 'new'; messageId: string }
  | { kind: 'replay'; response: R }
  | { kind: 'mismatch' }
  | { kind: 'in_progress'; messageId: string };

/**
 * A stable hash of what was asked, so a reused key with another body is told apart from a retry. Keys are sorted at
 * every level: JSON key order carries no meaning, and a retry serialised in another order (another client library,
 * gRPC vs REST) is still the same request.
 */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// A claim whose owner never completed it (crashed between append and completion) may be taken over after this;
// the takeover re-appends under the SAME message id, so receivers see the same webhook-id.
const STALE_CLAIM_MS = 10_000;

/**
 * Idempotency-Key for commands that append straight to Kafka (publish, resend, recover), which have no transaction
 * to share: the first request with a key claims it (with the id its event will carry); a retry with the same body
 * gets the stored response; the same key with another body is refused.
 */
export class IdempotencyStore {
  constructor(
    private readonly ds: DataSource,
    private readonly ttlHours: number,
    /** APPEND_TIMEOUT_MS: every append here is answered by then, with a 503 if Kafka has not acknowledged it. */
    private readonly appendTimeoutMs: number,
  ) {}

  /**
   * Runs `append` once per key and answers retries with its answer, or a 503 at the append deadline (the append
   * goes on, see answerWithin). A request whose first attempt crashed between
   * its append and keeping the answer runs again after STALE_CLAIM_MS under the first attempt's id, so receivers and
   * consumers, which dedupe by it, see one. Without a key, `append` simply runs. Keys are scoped by `request.scope`,
   * the tenant the command is for.
   */
  once<R>(request: IdempotentRequest | undefined, id: string, append: (id: string) => Promise<R>): Promise<R> {
    return answerWithin(this.appendTimeoutMs, request ? this.keyed(request, id, append) : append(id));
  }

  private async keyed<R>(request: IdempotentRequest, id: string, append: (id: string) => Promise<R>): Promise<R> {
    const tenantId = request.scope;
    const claim = await this.claim<R>(tenantId, request.key, requestHash(request.asked), id);
    if (claim.kind === 'replay') {
      request.onReplay?.();
      return claim.response;
    }
    if (claim.kind === 'mismatch') throw keyReusedProblem();
    if (claim.kind === 'in_progress') {
      throw new ProblemError('precondition_failed', 'a request with this Idempotency-Key is still being processed; retry shortly', [], {}, { 'retry-after': '1' });
    }
    // Kept whenever the outcome comes, also after the caller was answered at its deadline: a late
    // acknowledgement becomes the answer a retry gets. A failure leaves the key to a retry under the same id, not a
    // new one: the producer's records may have landed after all, and consumers dedupe by id.
    return append(claim.messageId).then(
      async (answer) => {
        await this.complete(tenantId, request.key, answer);
        return answer;
      },
      async (err: unknown) => {
        await this.reopen(tenantId, request.key).catch(() => undefined);
        throw err;
      },
    );
  }

  private async claim<R>(tenantId: string, key: string, hash: string, messageId: string): Promise<IdempotencyClaim<R>> {
    const inserted: Array<{ message_id: string }> = await this.ds.query(
      `INSERT INTO idempotency_keys (tenant_id, key, request_hash, message_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, message_id = EXCLUDED.message_id, response = NULL, append_failed = false, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $5)
       RETURNING message_id`,
      [tenantId, key, hash, messageId, this.ttlHours],
    );
    if (inserted.length) return { kind: 'new', messageId };
    const rows: Array<{ request_hash: string; message_id: string; response: R | null; append_failed: boolean; age_ms: number }> = await this.ds.query(
      `SELECT request_hash, message_id, response, append_failed, EXTRACT(EPOCH FROM (now() - created_at)) * 1000 AS age_ms
         FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
      [tenantId, key],
    );
    const row = rows[0];
    if (!row) return this.claim(tenantId, key, hash, messageId);
    if (row.request_hash !== hash) return { kind: 'mismatch' };
    if (row.response) return { kind: 'replay', response: row.response };
    if (row.append_failed) {
      // One retry takes it over; one racing it is told to wait like any other.
      const [, taken]: [unknown[], number] = await this.ds.query(
        `UPDATE idempotency_keys SET append_failed = false WHERE tenant_id = $1 AND key = $2 AND append_failed RETURNING 1`,
        [tenantId, key],
      );
      return taken ? { kind: 'new', messageId: row.message_id } : { kind: 'in_progress', messageId: row.message_id };
    }
    if (Number(row.age_ms) > STALE_CLAIM_MS) return { kind: 'new', messageId: row.message_id };
    return { kind: 'in_progress', messageId: row.message_id };
  }

  private async complete<R>(tenantId: string, key: string, response: R): Promise<void> {
    await this.ds.query(`UPDATE idempotency_keys SET response = $3 WHERE tenant_id = $1 AND key = $2`, [tenantId, key, JSON.stringify(response)]);
  }

  /** Leaves a claim whose append failed to the client's retry, which appends again under the claim's id. */
  private async reopen(tenantId: string, key: string): Promise<void> {
    await this.ds.query(`UPDATE idempotency_keys SET append_failed = true WHERE tenant_id = $1 AND key = $2 AND response IS NULL`, [tenantId, key]);
  }

  /** Deletes keys past their TTL. */
  async purgeExpired(): Promise<number> {
    const r: [unknown[], number] = await this.ds.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
      [this.ttlHours],
    );
    return r[1] ?? 0;
  }
}
