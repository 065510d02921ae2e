/** The benchmark's event type and its JSON Schema (validated by the command service like any other). */
export const EVENT_TYPE = 'order.created';

export const EVENT_SCHEMA = {
  type: 'object',
  required: ['order_id', 'seq', 'amount'],
  properties: {
    order_id: { type: 'string' },
    seq: { type: 'integer' },
    amount: { type: 'integer' },
    currency: { type: 'string' },
    customer: { type: 'object' },
    lines: { type: 'array' },
    note: { type: 'string' },
  },
};

export const PAYLOAD_BYTES = 1024;

const FIXED = {
  currency: 'EUR',
  customer: { id: 'cus_4fd1a0', email: 'buyer@example.com', country: 'DE', tier: 'gold' },
  lines: [
    { sku: 'sku_1001', qty: 2, unit_amount: 1250 },
    { sku: 'sku_2002', qty: 1, unit_amount: 4900 },
    { sku: 'sku_3003', qty: 5, unit_amount: 199 },
  ],
};

/** A 1 KB JSON payload (the size is made exact for sequence numbers up to 9 digits). */
export function payloadJson(seq: number): string {
  const head = { order_id: `ord_${String(seq).padStart(9, '0')}`, seq: 0, amount: 9395, ...FIXED };
  const base = JSON.stringify({ ...head, seq, note: '' });
  return JSON.stringify({ ...head, seq, note: 'x'.repeat(Math.max(0, PAYLOAD_BYTES - base.length)) });
}

/** The body of POST /v1/tenants/:id/messages carrying payloadJson(seq). */
export function publishBody(seq: number): string {
  return `{"event_type":"${EVENT_TYPE}","payload":${payloadJson(seq)}}`;
}
