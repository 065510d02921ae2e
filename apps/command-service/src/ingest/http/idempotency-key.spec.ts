import { idempotencyKeyOf } from './ingest-webhook.handler';

const SOURCE = 'src_01J0000000000000000000000A';
const none = () => undefined;

describe('the idempotency key of a provider\'s webhook', () => {
  it('is the provider\'s value under the source\'s id, from a header or a field of the body', () => {
    expect(idempotencyKeyOf(SOURCE, { from: 'header', header: 'x-github-delivery' }, {}, (name) => (name === 'x-github-delivery' ? 'd-1' : undefined)))
      .toBe(`${SOURCE}:d-1`);
    expect(idempotencyKeyOf(SOURCE, { from: 'field', path: 'id' }, { id: 'evt_1' }, none)).toBe(`${SOURCE}:evt_1`);
    expect(idempotencyKeyOf(SOURCE, { from: 'field', path: 'data.seq' }, { data: { seq: 7 } }, none)).toBe(`${SOURCE}:7`);
  });

  it('is a digest for values a key cannot hold, and absent without a value or a setting', () => {
    expect(idempotencyKeyOf(SOURCE, { from: 'field', path: 'id' }, { id: 'with space' }, none)).toMatch(new RegExp(`^${SOURCE}:sha256:[\\w-]{43}$`));
    expect(idempotencyKeyOf(SOURCE, { from: 'field', path: 'id' }, {}, none)).toBeUndefined();
    expect(idempotencyKeyOf(SOURCE, null, { id: 'evt_1' }, none)).toBeUndefined();
  });
});
