import { PayloadFilter } from '@hookline/contracts';
import { matchesPayloadFilter, validatePayloadFilter } from './payload-filter';

const payload = {
  type: 'invoice.paid',
  data: {
    amount: 1500,
    currency: 'EUR',
    status: 'paid',
    customer: { id: 'cus_1', tier: 'gold', email: null },
    tags: ['vip', 'eu'],
    note: 'paid by wire transfer',
    lines: [{ sku: 'A', qty: 2 }],
  },
};

describe('matchesPayloadFilter', () => {
  const cases: [string, PayloadFilter, boolean][] = [
    ['an empty filter matches everything', {}, true],
    // $eq, implicit and explicit
    ['a bare value is $eq', { 'data.currency': 'EUR' }, true],
    ['a bare value that differs', { 'data.currency': 'USD' }, false],
    ['explicit $eq', { 'data.amount': { $eq: 1500 } }, true],
    ['$eq is strict about types', { 'data.amount': '1500' }, false],
    ['$eq on null', { 'data.customer.email': null }, true],
    ['$eq on an object compares by value', { 'data.customer': { id: 'cus_1', tier: 'gold', email: null } }, true],
    ['$eq on an array compares by value', { 'data.tags': ['vip', 'eu'] }, true],
    ['$eq on a missing field', { 'data.refund': 0 }, false],
    // $ne
    ['$ne on a different value', { 'data.status': { $ne: 'void' } }, true],
    ['$ne on the same value', { 'data.status': { $ne: 'paid' } }, false],
    ['$ne on a missing field matches', { 'data.refund': { $ne: 1 } }, true],
    // ordering on numbers
    ['$gt', { 'data.amount': { $gt: 1000 } }, true],
    ['$gt at the bound', { 'data.amount': { $gt: 1500 } }, false],
    ['$gte at the bound', { 'data.amount': { $gte: 1500 } }, true],
    ['$lt', { 'data.amount': { $lt: 1500 } }, false],
    ['$lte at the bound', { 'data.amount': { $lte: 1500 } }, true],
    ['a range is two operators on one field', { 'data.amount': { $gt: 1000, $lt: 2000 } }, true],
    ['a range that excludes the value', { 'data.amount': { $gt: 1000, $lt: 1200 } }, false],
    // ordering on strings
    ['$gt on strings is lexicographic', { 'data.currency': { $gt: 'CHF' } }, true],
    ['$lt on strings', { 'data.currency': { $lt: 'CHF' } }, false],
    ['$gte / $lte on strings at the bound', { 'data.currency': { $gte: 'EUR', $lte: 'EUR' } }, true],
    // mixed types never compare
    ['$gt between a number and a string', { 'data.amount': { $gt: '1000' } }, false],
    ['$lt between a string and a number', { 'data.currency': { $lt: 5 } }, false],
    ['$lt on a missing field', { 'data.refund': { $lt: 5 } }, false],
    // $in / $nin
    ['$in with the value', { 'data.currency': { $in: ['EUR', 'USD'] } }, true],
    ['$in without it', { 'data.currency': { $in: ['GBP', 'USD'] } }, false],
    ['$in on a missing field', { 'data.refund': { $in: [null] } }, false],
    ['$nin without the value', { 'data.currency': { $nin: ['GBP', 'USD'] } }, true],
    ['$nin with it', { 'data.currency': { $nin: ['EUR'] } }, false],
    ['$nin on a missing field matches', { 'data.refund': { $nin: [1] } }, true],
    // $exists
    ['$exists true on a present field', { 'data.note': { $exists: true } }, true],
    ['$exists true on a present null', { 'data.customer.email': { $exists: true } }, true],
    ['$exists true on a missing field', { 'data.refund': { $exists: true } }, false],
    ['$exists false on a missing field', { 'data.refund': { $exists: false } }, true],
    ['$exists false on a present field', { 'data.note': { $exists: false } }, false],
    // $contains
    ['$contains an array element', { 'data.tags': { $contains: 'vip' } }, true],
    ['$contains a missing array element', { 'data.tags': { $contains: 'us' } }, false],
    ['$contains an object in an array', { 'data.lines': { $contains: { sku: 'A', qty: 2 } } }, true],
    ['$contains a substring', { 'data.note': { $contains: 'wire' } }, true],
    ['$contains a missing substring', { 'data.note': { $contains: 'card' } }, false],
    ['$contains on a number', { 'data.amount': { $contains: 15 } }, false],
    ['$contains on a missing field', { 'data.refund': { $contains: 'x' } }, false],
    // dotted paths and missing fields
    ['a nested path', { 'data.customer.tier': 'gold' }, true],
    ['an array index in a path', { 'data.lines.0.sku': 'A' }, true],
    ['a path through a missing object', { 'data.refund.amount': { $exists: false } }, true],
    ['a path through a scalar', { 'data.amount.value': { $exists: false } }, true],
    ['a path through null', { 'data.customer.email.domain': { $exists: false } }, true],
    ['inherited properties are not fields', { 'data.toString': { $exists: false }, 'data.customer.constructor': { $exists: false } }, true],
    // $or / $and and implicit AND
    ['several fields must all match', { 'data.currency': 'EUR', 'data.amount': { $gt: 2000 } }, false],
    ['$or with one branch matching', { $or: [{ 'data.currency': 'USD' }, { 'data.amount': { $gte: 1000 } }] }, true],
    ['$or with no branch matching', { $or: [{ 'data.currency': 'USD' }, { 'data.amount': { $gt: 2000 } }] }, false],
    ['$and with every branch matching', { $and: [{ 'data.currency': 'EUR' }, { 'data.tags': { $contains: 'eu' } }] }, true],
    ['$and with one branch failing', { $and: [{ 'data.currency': 'EUR' }, { 'data.tags': { $contains: 'us' } }] }, false],
    [
      '$or nested in $and next to a field',
      { type: 'invoice.paid', $and: [{ $or: [{ 'data.customer.tier': 'gold' }, { 'data.amount': { $gt: 10_000 } }] }] },
      true,
    ],
    ['$or next to a field that fails', { type: 'invoice.void', $or: [{ 'data.customer.tier': 'gold' }] }, false],
  ];

  it.each(cases)('%s', (_, filter, expected) => {
    expect(validatePayloadFilter(filter)).toEqual([]);
    expect(matchesPayloadFilter(filter, payload)).toBe(expected);
  });

  it('treats a payload that is not an object as having no fields', () => {
    expect(matchesPayloadFilter({ a: { $exists: false } }, 'text')).toBe(true);
    expect(matchesPayloadFilter({ a: 1 }, null)).toBe(false);
    expect(matchesPayloadFilter({}, null)).toBe(true);
  });
});

const UNKNOWN_OPERATOR = 'unknown operator (one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $contains)';

describe('validatePayloadFilter', () => {
  it.each<[string, unknown, string[]]>([
    ['a filter that is not an object', ['a'], ['/filter: must be an object']],
    ['null', null, ['/filter: must be an object']],
    ['an unknown operator', { 'data.amount': { $gt: 1, $between: [1, 2] } }, [`/filter/data.amount/$between: ${UNKNOWN_OPERATOR}`]],
    ['a plain key mixed into an operator object', { 'data.amount': { $gt: 1, max: 2 } }, [`/filter/data.amount/max: ${UNKNOWN_OPERATOR}`]],
    ['$in that is not an array', { 'data.currency': { $in: 'EUR' } }, ['/filter/data.currency/$in: must be an array']],
    ['$nin that is not an array', { 'data.currency': { $nin: 1 } }, ['/filter/data.currency/$nin: must be an array']],
    ['$exists that is not a boolean', { 'data.note': { $exists: 1 } }, ['/filter/data.note/$exists: must be true or false']],
    ['an unknown logical operator', { $not: { a: 1 } }, ['/filter/$not: unknown logical operator (use $or or $and, or a field path)']],
    ['an empty $or', { $or: [] }, ['/filter/$or: must be a non-empty array of filters']],
    ['an $and that is not an array', { $and: { a: 1 } }, ['/filter/$and: must be a non-empty array of filters']],
    ['a bad branch inside $or', { $or: [{ a: 1 }, 'b'] }, ['/filter/$or/1: must be an object']],
    ['a bad operator deep inside', { $and: [{ $or: [{ 'a.b': { $in: 3 } }] }] }, ['/filter/$and/0/$or/0/a.b/$in: must be an array']],
    ['a path with / and ~ escaped in the pointer', { 'a/b~c': { $exists: 'yes' } }, ['/filter/a~1b~0c/$exists: must be true or false']],
    [
      'every problem, not only the first',
      { a: { $in: 1 }, b: { $exists: null } },
      ['/filter/a/$in: must be an array', '/filter/b/$exists: must be true or false'],
    ],
  ])('reports %s', (_, filter, problems) => {
    expect(validatePayloadFilter(filter)).toEqual(problems);
  });

  it('accepts a bare object value as $eq on that object', () => {
    expect(validatePayloadFilter({ 'data.customer': { id: 'cus_1' } })).toEqual([]);
  });

  it('uses the pointer it is given', () => {
    expect(validatePayloadFilter(7, '/endpoints/0/filter')).toEqual(['/endpoints/0/filter: must be an object']);
  });

  it('refuses filters nested more than 8 deep', () => {
    let filter: unknown = { a: 1 };
    for (let i = 0; i < 8; i++) filter = { $or: [filter] };
    expect(validatePayloadFilter(filter)).toEqual([]);
    expect(validatePayloadFilter({ $or: [filter] })).toEqual([`/filter${'/$or/0'.repeat(9)}: filter nests too deeply (max 8)`]);
  });
});
