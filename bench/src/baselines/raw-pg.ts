import { Client } from 'pg';
import { wallMs } from '../measure/clock';

export interface RawPgResult {
  rowsPerSecond: number;
  rows: number;
  seconds: number;
  batchRows: number;
}

/**
 * The ceiling for a projection: plain multi-row INSERTs (one statement of `batchRows` rows per transaction, one
 * connection, like the projector's batches) into a table shaped like the read model's `attempts` rows, with its
 * primary key and one secondary index.
 */
export async function rawPgInserts(databaseUrl: string, durationMs: number, batchRows = 500): Promise<RawPgResult> {
  const db = new Client({ connectionString: databaseUrl, application_name: 'bench-raw-pg' });
  db.on('error', () => undefined);
  await db.connect();
  try {
    await db.query(`CREATE TABLE bench_raw_attempts (
      attempt_id text PRIMARY KEY, tenant_id text NOT NULL, delivery_id text NOT NULL, message_id text NOT NULL,
      endpoint_id text NOT NULL, attempt int NOT NULL, request_headers jsonb NOT NULL, response_status int,
      latency_ms int NOT NULL, succeeded boolean NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL)`);
    await db.query('CREATE INDEX bench_raw_attempts_message ON bench_raw_attempts (tenant_id, message_id, created_at)');
    const cols = 12;
    const placeholders = Array.from({ length: batchRows }, (_, r) =>
      `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(',')})`).join(',');
    const sql = `INSERT INTO bench_raw_attempts VALUES ${placeholders}`;
    const headers = JSON.stringify({ 'content-type': 'application/json', 'webhook-id': 'msg_x', 'webhook-signature': 'v1,****' });
    let rows = 0;
    const started = wallMs();
    while (wallMs() - started < durationMs) {
      const params: unknown[] = [];
      const now = new Date().toISOString();
      for (let r = 0; r < batchRows; r++) {
        const n = rows + r;
        params.push(`atm_${n}`, 'tnt_bench', `dlv_${n}`, `msg_${n}`, 'ep_bench', 1, headers, 200, 3, true, 'succeeded', now);
      }
      await db.query('BEGIN');
      await db.query(sql, params);
      await db.query('COMMIT');
      rows += batchRows;
    }
    const seconds = (wallMs() - started) / 1000;
    await db.query('DROP TABLE bench_raw_attempts');
    return { rowsPerSecond: rows / seconds, rows, seconds, batchRows };
  } finally {
    await db.end();
  }
}
