import { trace } from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import { createLogger, type LoggerOptions } from './create-logger';

class MemoryDestination extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
    done();
  }
  get records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

function logTo(options: Partial<LoggerOptions> = {}) {
  const destination = new MemoryDestination();
  const logger = createLogger({ service: 'dispatcher', destination, env: {}, ...options });
  return { logger, destination };
}

const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SIGNING_KEY = 'whsk_6Lu2Kq6xX0vD1Fh3f8Wn3bQe5nY0n5u5T2sGJ4VdJ0c=';
const LIVE_KEY = 'hk_live_01JB3ZK5V2Q9X8W7_s3cr3tPart';
const TEST_KEY = 'hk_test_k3yM4t3r1al-9f';

describe('createLogger', () => {
  it('redacts every listed field, at any depth and in any case', () => {
    const { logger, destination } = logTo();
    logger.info(
      {
        authorization: 'Bearer top-level-token',
        request: { headers: { Authorization: 'Bearer nested-token', 'webhook-signature': 'v1,c2lnbmF0dXJl', 'X-Api-Key': 'plain-key-1' } },
        endpoint: { secret: 'endpoint-secret-1', secrets: ['old-secret-1', 'new-secret-1'] },
        user: { password: 'hunter2-password' },
        api_key: 'snake-key-1',
        apiKey: 'camel-key-1',
        key_secret: 'key-secret-1',
        deep: { a: { b: { c: { d: { authorization: 'Bearer very-deep-token' } } } } },
      },
      'delivering',
    );

    for (const secret of [
      'top-level-token', 'nested-token', 'c2lnbmF0dXJl', 'plain-key-1', 'endpoint-secret-1', 'old-secret-1', 'new-secret-1',
      'hunter2-password', 'snake-key-1', 'camel-key-1', 'key-secret-1', 'very-deep-token',
    ]) {
      expect(destination.text).not.toContain(secret);
    }
    const [line] = destination.records;
    expect(line).toMatchObject({
      authorization: '[REDACTED]',
      request: { headers: { Authorization: '[REDACTED]', 'webhook-signature': '[REDACTED]', 'X-Api-Key': '[REDACTED]' } },
      endpoint: { secret: '[REDACTED]', secrets: '[REDACTED]' },
      user: { password: '[REDACTED]' },
      api_key: '[REDACTED]',
      apiKey: '[REDACTED]',
      key_secret: '[REDACTED]',
      deep: { a: { b: { c: { d: { authorization: '[REDACTED]' } } } } },
      msg: 'delivering',
    });
  });

  it('masks signing secrets, signing keys and API keys inside any string, the message included', () => {
    const { logger, destination } = logTo();
    logger.warn(
      { note: `rotated to ${SIGNING_SECRET} and ${SIGNING_KEY}`, attempts: [{ error: `rejected ${LIVE_KEY}` }] },
      'client sent %s instead of %s',
      TEST_KEY,
      LIVE_KEY,
    );
    logger.info(`bare message with ${SIGNING_SECRET}`);

    for (const secret of [SIGNING_SECRET, SIGNING_KEY, LIVE_KEY, TEST_KEY]) {
      expect(destination.text).not.toContain(secret.slice(secret.lastIndexOf('_') + 1));
    }
    const [first, second] = destination.records;
    expect(first['note']).toBe('rotated to whsec_[REDACTED] and whsk_[REDACTED]');
    expect(first['attempts']).toEqual([{ error: 'rejected hk_live_[REDACTED]' }]);
    expect(first['msg']).toBe('client sent hk_test_[REDACTED] instead of hk_live_[REDACTED]');
    expect(second['msg']).toBe('bare message with whsec_[REDACTED]');
  });

  it('keeps public keys and ordinary values readable', () => {
    const { logger, destination } = logTo();
    logger.info({ publicKey: 'whpk_cHVibGlj', key: 'ep_01JB3', status: 200 }, 'ok');
    expect(destination.records[0]).toMatchObject({ publicKey: 'whpk_cHVibGlj', key: 'ep_01JB3', status: 200 });
  });

  it('redacts inside errors, child bindings and objects interpolated into the message', () => {
    const { logger, destination } = logTo();
    const error = Object.assign(new Error(`signature check failed for ${SIGNING_SECRET}`), {
      config: { headers: { authorization: 'Bearer error-token' } },
    });
    logger.error(error);
    logger.child({ secret: 'bound-secret', tenant: 'tnt_1' }).info('child line');
    logger.info('request %o', { password: 'interpolated-password' });

    expect(destination.text).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(destination.text).not.toContain('error-token');
    expect(destination.text).not.toContain('bound-secret');
    expect(destination.text).not.toContain('interpolated-password');
    const [errorLine, childLine, interpolatedLine] = destination.records;
    expect(errorLine['err']).toMatchObject({
      type: 'Error',
      message: 'signature check failed for whsec_[REDACTED]',
      config: { headers: { authorization: '[REDACTED]' } },
    });
    expect((errorLine['err'] as { stack: string }).stack).toContain('signature check failed for whsec_[REDACTED]');
    expect(errorLine['msg']).toBe('signature check failed for whsec_[REDACTED]');
    expect(childLine).toMatchObject({ secret: '[REDACTED]', tenant: 'tnt_1' });
    expect(interpolatedLine['msg']).toContain('[REDACTED]');
  });

  it('redacts the extra field names listed in LOG_REDACT_FIELDS', () => {
    const { logger, destination } = logTo({ env: { LOG_REDACT_FIELDS: ' card_number , x-session-token' } });
    logger.info({ card_number: '4111111111111111', nested: { 'X-Session-Token': 'session-123' } });
    expect(destination.text).not.toContain('4111111111111111');
    expect(destination.text).not.toContain('session-123');
    expect(destination.records[0]).toMatchObject({ card_number: '[REDACTED]', nested: { 'X-Session-Token': '[REDACTED]' } });
  });

  it('refuses LOG_REDACT_FIELDS entries that are not plain names', () => {
    expect(() => logTo({ env: { LOG_REDACT_FIELDS: 'req.body' } })).toThrow(/LOG_REDACT_FIELDS entry "req.body"/);
  });

  it('does not modify the logged object', () => {
    const { logger } = logTo();
    const headers = { authorization: 'Bearer keep-me', note: SIGNING_SECRET };
    logger.info({ headers });
    expect(headers).toEqual({ authorization: 'Bearer keep-me', note: SIGNING_SECRET });
  });

  it('survives circular structures', () => {
    const { logger, destination } = logTo();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    logger.info({ loop });
    expect(destination.records[0]).toMatchObject({ loop: { name: 'loop', self: '[Circular]' } });
  });

  it('writes service, level name and ISO time on every line', () => {
    const { logger, destination } = logTo();
    logger.info('hello');
    expect(destination.records[0]).toMatchObject({ service: 'dispatcher', level: 'info', msg: 'hello' });
    expect(String(destination.records[0]['time'])).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('takes the level from LOG_LEVEL, and names the variable when it is wrong', () => {
    const { logger, destination } = logTo({ env: { LOG_LEVEL: 'warn' } });
    logger.info('dropped');
    logger.warn('kept');
    expect(destination.records.map((line) => line['msg'])).toEqual(['kept']);
    expect(() => logTo({ env: { LOG_LEVEL: 'verbose' } })).toThrow(/LOG_LEVEL/);
  });

  describe('with tracing', () => {
    let tracing: InMemoryTracing;
    beforeEach(() => {
      tracing = startInMemoryTracing();
    });
    afterEach(() => tracing.stop());

    it('puts the active span’s trace and span ids on lines written inside it, and none outside', () => {
      const { logger, destination } = logTo();
      const ids = trace.getTracer('test').startActiveSpan('deliver', (span) => {
        logger.info('inside');
        span.end();
        return span.spanContext();
      });
      logger.info('outside');

      const [inside, outside] = destination.records;
      expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
      expect(outside).not.toHaveProperty('trace_id');
      expect(outside).not.toHaveProperty('span_id');
    });
  });
});
