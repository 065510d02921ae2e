import { corsOptions } from './cors';

describe('corsOptions', () => {
  it('lets any origin call with a bearer key by default, never with cookies', () => {
    expect(corsOptions(['*'])).toMatchObject({ origin: '*', credentials: false });
    expect(corsOptions(['*']).allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-match']));
  });

  it('lets only the listed origins call when CORS_ORIGINS names some', () => {
    expect(corsOptions(['https://portal.example.com', 'https://app.example.com']).origin).toEqual(['https://portal.example.com', 'https://app.example.com']);
  });
});
