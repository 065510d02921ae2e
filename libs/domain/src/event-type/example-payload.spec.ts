import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { examplePayload } from './example-payload';

const ajv = addFormats(new Ajv({ strict: false }));
const fits = (schema: object, value: unknown) => ajv.validate(schema, value);

describe('examplePayload', () => {
  it('fills every property of an invoice-like schema with a value of its type and format, and the result validates', () => {
    const schema = {
      type: 'object',
      required: ['invoice_id', 'amount'],
      properties: {
        invoice_id: { type: 'string', minLength: 10 },
        amount: { type: 'integer', minimum: 1 },
        currency: { type: 'string', enum: ['EUR', 'USD'] },
        paid_at: { type: 'string', format: 'date-time' },
        customer: { type: 'object', properties: { email: { type: 'string', format: 'email' }, vip: { type: 'boolean' } } },
        lines: { type: 'array', minItems: 2, items: { type: 'object', properties: { sku: { type: 'string' }, price: { type: 'number', exclusiveMinimum: 0 } } } },
        note: { type: ['string', 'null'] },
      },
    };
    const example = examplePayload(schema);
    expect(example).toEqual({
      invoice_id: 'stringxxxx', amount: 1, currency: 'EUR', paid_at: '2026-01-01T12:00:00Z',
      customer: { email: 'jane@example.com', vip: false },
      lines: [{ sku: 'string', price: 1 }, { sku: 'string', price: 1 }],
      note: 'string',
    });
    expect(fits(schema, example)).toBe(true);
  });

  it("prefers the schema's own examples, default and const", () => {
    expect(examplePayload({ type: 'object', examples: [{ id: 'in_1' }], properties: { id: { type: 'string' } } })).toEqual({ id: 'in_1' });
    expect(examplePayload({ type: 'object', properties: { plan: { type: 'string', default: 'pro' }, v: { const: 2 } } })).toEqual({ plan: 'pro', v: 2 });
  });

  it('merges allOf parts, takes the first anyOf/oneOf alternative, and stops a recursive schema', () => {
    const schema = {
      allOf: [{ type: 'object', properties: { id: { type: 'string' } } }, { type: 'object', properties: { n: { type: 'integer' } } }],
    };
    expect(examplePayload(schema)).toEqual({ id: 'string', n: 0 });
    expect(examplePayload({ oneOf: [{ type: 'integer', minimum: 5 }, { type: 'string' }] })).toBe(5);
    const tree = { $id: 't', type: 'object', properties: { child: { $ref: 't' }, depth: { type: 'object', properties: {} } } };
    expect(examplePayload(tree)).toEqual({ child: null, depth: {} });
  });

  it('gives an empty object where there is no schema', () => {
    expect(examplePayload(null)).toEqual({});
    expect(examplePayload({})).toEqual({});
  });
});
