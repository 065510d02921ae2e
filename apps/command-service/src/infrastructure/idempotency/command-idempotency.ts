import { ProblemError } from '@hookline/service-kit';
import { SealingKeys, openSecret, sealSecret } from '@hookline/signing';
import { EntityManager } from 'typeorm';
import { IdempotentRequest, keyReusedProblem } from './idempotency-key';
import { requestHash } from './idempotency-store';

/** What an earlier request with the same key and the same ask was answered, and where its events went. */
export interface EarlierAnswer {
  answer: object;
  outboxSeqs: string[];
}

/**
 * Idempotency-Key for config commands, inside the command's own transaction: the key, the answer and the command's
 * events commit together or not at all. So a retry after a lost answer, a crash or a timeout gets the first answer
 * and never a second endpoint, API key or secret rotation. A concurrent retry waits on the key's row until the first
 * request commits (then replays it) or rolls back (then goes ahead itself).
 *
 * Answers can hold secrets shown once (an endpoint's signing secret, a new API key), so they are kept sealed with
 * the same key as endpoint secrets, never in plain text.
 */
export class CommandIdempotency {
  constructor(
    private readonly sealingKeys: SealingKeys,
    private readonly ttlHours: number,
  ) {}

  /** Takes the key for this request (null), or returns the earlier answer; another ask under the key is refused. */
  async take(tx: EntityManager, request: IdempotentRequest): Promise<EarlierAnswer | null> {
    const hash = requestHash(request.asked);
    // A key past its TTL is taken over as if new, as message keys are.
    const taken: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (tenant_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, message_id = NULL, response = NULL, append_failed = false, sealed_answer = NULL, outbox_seqs = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
       RETURNING 1`,
      [request.scope, request.key, hash, this.ttlHours],
    );
    if (taken.length) return null;
    const rows: Array<{ request_hash: string; sealed_answer: string | null; outbox_seqs: string[] | null }> = await tx.query(
      `SELECT request_hash, sealed_answer, outbox_seqs FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
      [request.scope, request.key],
    );
    const row = rows[0];
    // Purged between the two statements: the key is free again.
    if (!row) return this.take(tx, request);
    // No sealed answer: the key belongs to a message (published with it), which is another request.
    if (row.request_hash !== hash || row.sealed_answer === null) throw keyReusedProblem();
    let answer: object;
    try {
      answer = JSON.parse(openSecret(row.sealed_answer, this.sealingKeys)) as object;
    } catch {
      throw new ProblemError('idempotency_conflict', 'the request with this Idempotency-Key was carried out, but its answer was sealed under a key this service no longer has (neither SECRETS_ENCRYPTION_KEY nor one of SECRETS_ENCRYPTION_PREVIOUS_KEYS)', [
        { pointer: 'Idempotency-Key', detail: 'earlier answer unreadable' },
      ]);
    }
    return { answer, outboxSeqs: (row.outbox_seqs ?? []).map(String) };
  }

  /** Keeps the answer of a request whose key was taken, in the same transaction as its events. */
  async record(tx: EntityManager, request: IdempotentRequest, answer: object, outboxSeqs: string[]): Promise<void> {
    await tx.query(`UPDATE idempotency_keys SET sealed_answer = $3, outbox_seqs = $4::bigint[] WHERE tenant_id = $1 AND key = $2`, [
      request.scope,
      request.key,
      sealSecret(JSON.stringify(answer), this.sealingKeys),
      outboxSeqs,
    ]);
  }
}
