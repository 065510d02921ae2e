import { schemaBreakingChanges } from './schema-compatibility';

type Schema = Record<string, unknown>;
const object = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({ type: 'object', properties, ...extra });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });

const invoice = object(
  {
    id: { type: 'string' },
    amount: { type: 'integer' },
    status: { enum: ['open', 'paid'] },
    note: { type: ['string', 'null'] },
    meta: {},
    customer: object({ email: { type: 'string' }, tier: { type: 'string' } }, { required: ['email'] }),
    lines: arrayOf(object({ sku: { type: 'string' }, qty: { type: 'number' } }, { required: ['sku'] })),
  },
  { required: ['id', 'amount'] },
);
const props = invoice['properties'] as Record<string, Schema>;
const withProps = (changes: Record<string, Schema | undefined>, extra: Schema = {}): Schema => {
  const next = { ...props, ...changes };
  for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
  return object(next as Record<string, Schema>, { required: invoice['required'], ...extra });
};

describe('schemaBreakingChanges', () => {
  describe('given a published schema, a new version that only widens is compatible', () => {
    it.each<[string, Schema]>([
      ['the same schema', invoice],
      ['a new optional property', withProps({ currency: { type: 'string' } })],
      ['a widened type (string → string|null)', withProps({ id: { type: ['string', 'null'] } })],
      ['integer widened to number', withProps({ amount: { type: 'number' } })],
      ['an added enum value', withProps({ status: { enum: ['open', 'paid', 'void'] } })],
      ['a dropped enum restriction', withProps({ status: {} })],
      ['an optional property removed while extra properties are allowed', withProps({ note: undefined })],
      ['an optional nested property removed', withProps({ customer: object({ email: { type: 'string' } }, { required: ['email'] }) })],
      [
        'a new optional property in array items',
        withProps({ lines: arrayOf(object({ sku: { type: 'string' }, qty: { type: 'number' }, tax: { type: 'number' } }, { required: ['sku'] })) }),
      ],
    ])('%s', (_, next) => {
      expect(schemaBreakingChanges(invoice, next)).toEqual([]);
    });

    it('widens a bound that was already there', () => {
      expect(schemaBreakingChanges({ type: 'string', maxLength: 32 }, { type: 'string', maxLength: 64 })).toEqual([]);
      expect(schemaBreakingChanges({ type: 'integer', minimum: 10 }, { type: 'integer', minimum: 0 })).toEqual([]);
    });
  });

  describe('given a published schema, each breaking change is named by its JSON pointer', () => {
    it.each<[string, Schema, string[]]>([
      ['a required field removed', { ...withProps({ amount: undefined }), required: ['id'] }, ['/amount: required field removed or made optional']],
      ['a required field made optional', { ...invoice, required: ['id'] }, ['/amount: required field removed or made optional']],
      [
        'a newly required field',
        { ...invoice, required: ['id', 'amount', 'status'] },
        ['/status: new required field (payloads built for the previous version lack it)'],
      ],
      [
        'a new required property',
        { ...withProps({ currency: { type: 'string' } }), required: ['id', 'amount', 'currency'] },
        ['/currency: new required field (payloads built for the previous version lack it)'],
      ],
      ['a narrowed type (string|null → string)', withProps({ note: { type: 'string' } }), ['/note: type narrowed, no longer accepts null']],
      ['a changed type', withProps({ id: { type: 'integer' } }), ['/id: type narrowed, no longer accepts string']],
      ['a type where there was none', withProps({ meta: { type: 'object' } }), ['/meta: type narrowed from any to object']],
      ['an enum value removed', withProps({ status: { enum: ['open'] } }), ['/status: enum no longer allows "paid"']],
      ['an enum where there was none', withProps({ id: { type: 'string', enum: ['inv_1'] } }), ['/id: restricted to an enum']],
      ['additionalProperties false added', withProps({}, { additionalProperties: false }), ['/: additional properties are no longer allowed']],
      [
        'an optional property removed while additionalProperties false is added',
        withProps({ note: undefined }, { additionalProperties: false }),
        ['/note: property removed while additional properties are refused', '/: additional properties are no longer allowed'],
      ],
      [
        'a nested required field made optional and narrowed',
        withProps({ customer: object({ email: { type: 'integer' }, tier: { type: 'string' } }) }),
        ['/customer/email: required field removed or made optional', '/customer/email: type narrowed, no longer accepts string'],
      ],
      [
        'a nested property narrowed',
        withProps({ customer: object({ email: { type: 'string' }, tier: { enum: ['gold'] } }, { required: ['email'] }) }),
        ['/customer/tier: restricted to an enum'],
      ],
      [
        'a nested object closed to additional properties',
        withProps({ customer: object({ email: { type: 'string' }, tier: { type: 'string' } }, { required: ['email'], additionalProperties: false }) }),
        ['/customer: additional properties are no longer allowed'],
      ],
      [
        'array items with a newly required field',
        withProps({ lines: arrayOf(object({ sku: { type: 'string' }, qty: { type: 'number' } }, { required: ['sku', 'qty'] })) }),
        ['/lines/items/qty: new required field (payloads built for the previous version lack it)'],
      ],
      [
        'array items number → integer',
        withProps({ lines: arrayOf(object({ sku: { type: 'string' }, qty: { type: 'integer' } }, { required: ['sku'] })) }),
        ['/lines/items/qty: type narrowed, no longer accepts number'],
      ],
      [
        'an array no longer an array',
        withProps({ lines: { type: 'object' } }),
        ['/lines: type narrowed, no longer accepts array', '/lines/items/sku: required field removed or made optional'],
      ],
    ])('%s', (_, next, problems) => {
      expect(schemaBreakingChanges(invoice, next)).toEqual(problems);
    });

    it('treats number → integer as narrowing but integer → number as widening', () => {
      expect(schemaBreakingChanges({ type: 'number' }, { type: 'integer' })).toEqual(['/: type narrowed, no longer accepts number']);
      expect(schemaBreakingChanges({ type: 'integer' }, { type: 'number' })).toEqual([]);
      expect(schemaBreakingChanges({ type: ['integer', 'string'] }, { type: ['number', 'string'] })).toEqual([]);
    });

    it('constrains array items that were unconstrained', () => {
      expect(schemaBreakingChanges({ type: 'array' }, arrayOf({ type: 'string' }))).toEqual(['/items: type narrowed from any to string']);
    });

    it('reports tightened bounds, including a bound that is new', () => {
      expect(schemaBreakingChanges({ type: 'string', maxLength: 64 }, { type: 'string', maxLength: 32 })).toEqual(['/: maxLength tightened to 32']);
      expect(schemaBreakingChanges({ type: 'integer' }, { type: 'integer', minimum: 1 })).toEqual(['/: minimum tightened to 1']);
      expect(schemaBreakingChanges({ type: 'array', minItems: 0 }, { type: 'array', minItems: 1 })).toEqual(['/: minItems tightened to 1']);
    });

    it('reports every problem, not only the first', () => {
      const next = object({ id: { type: 'integer' } }, { required: ['id', 'currency'], additionalProperties: false });
      expect(schemaBreakingChanges(invoice, next)).toEqual([
        '/amount: required field removed or made optional',
        '/currency: new required field (payloads built for the previous version lack it)',
        '/id: type narrowed, no longer accepts string',
        '/status: property removed while additional properties are refused',
        '/note: property removed while additional properties are refused',
        '/meta: property removed while additional properties are refused',
        '/customer: property removed while additional properties are refused',
        '/lines: property removed while additional properties are refused',
        '/: additional properties are no longer allowed',
      ]);
    });

    it('escapes / and ~ in property names (RFC 6901), so a/b is not read as b inside a', () => {
      const prev = object({ 'a/b': { type: 'string' }, 'c~d': { type: 'string' } });
      const next = object({ 'a/b': { type: 'number' }, 'c~d': { type: 'number' } });
      expect(schemaBreakingChanges(prev, next)).toEqual(['/a~1b: type narrowed, no longer accepts string', '/c~0d: type narrowed, no longer accepts string']);
    });
  });
});
