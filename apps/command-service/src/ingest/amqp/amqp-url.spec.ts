import { isAmqpUrl, redactAmqpUrl, redactedMessage } from './amqp-url';

describe('an AMQP source URL', () => {
  it('is amqp:// or amqps:// with a host', () => {
    expect(isAmqpUrl('amqp://guest:guest@127.0.0.1:5672')).toBe(true);
    expect(isAmqpUrl('amqps://user:p%40ss@rabbit.example.com/billing?heartbeat=30')).toBe(true);
    expect(isAmqpUrl('amqp://')).toBe(false);
    expect(isAmqpUrl('https://rabbit.example.com')).toBe(false);
    expect(isAmqpUrl('rabbit:5672')).toBe(false);
    expect(isAmqpUrl('amqp://rabbit#x')).toBe(false);
  });

  it('is shown without its password: in the URL and in any error message that quotes it', () => {
    expect(redactAmqpUrl('amqp://user:s3cret@rabbit:5672/billing')).toBe('amqp://user:***@rabbit:5672/billing');
    expect(redactAmqpUrl('amqp://rabbit/billing')).toBe('amqp://rabbit/billing');
    expect(redactAmqpUrl('not a url s3cret')).toBe('<invalid URL>');
    const url = 'amqps://user:p%40ss%2Fword@rabbit';
    expect(redactedMessage(new Error(`connect to ${url} failed`), url)).toBe('connect to amqps://user:***@rabbit failed');
    expect(redactedMessage(new Error('login p@ss/word refused'), url)).toBe('login *** refused');
  });
});
