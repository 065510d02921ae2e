import pino from 'pino';
import { Writable } from 'node:stream';
import { NestLoggerAdapter } from './nest-logger.adapter';

function adapterWithLines(level = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level, base: undefined, timestamp: false }, destination);
  return { adapter: new NestLoggerAdapter(logger), logger, lines };
}

const STACK = 'Error: boom\n    at RoutesResolver.resolve (/app/node_modules/@nestjs/core/router/routes-resolver.js:10:5)';

describe('NestLoggerAdapter', () => {
  it('maps Nest levels to pino levels and the trailing argument to context', () => {
    const { adapter, lines } = adapterWithLines();
    adapter.log('Mapped {/healthz, GET} route', 'RouterExplorer');
    adapter.warn('slow start');
    adapter.debug('debugging', 'Dispatcher');
    adapter.verbose('very detailed', 'Dispatcher');
    adapter.fatal('cannot continue', 'Bootstrap');

    expect(lines).toEqual([
      { level: 30, context: 'RouterExplorer', msg: 'Mapped {/healthz, GET} route' },
      { level: 40, msg: 'slow start' },
      { level: 20, context: 'Dispatcher', msg: 'debugging' },
      { level: 10, context: 'Dispatcher', msg: 'very detailed' },
      { level: 60, context: 'Bootstrap', msg: 'cannot continue' },
    ]);
  });

  it('reads error(message, stack, context), error(message, stack) and error(message, context) the way Nest passes them', () => {
    const { adapter, lines } = adapterWithLines();
    adapter.error('request failed', STACK, 'ExceptionsHandler');
    adapter.error('request failed', STACK);
    adapter.error('request failed', 'ExceptionsHandler');
    adapter.error('request failed', undefined, 'ExceptionsHandler');

    expect(lines).toEqual([
      { level: 50, context: 'ExceptionsHandler', stack: STACK, msg: 'request failed' },
      { level: 50, stack: STACK, msg: 'request failed' },
      { level: 50, context: 'ExceptionsHandler', msg: 'request failed' },
      { level: 50, context: 'ExceptionsHandler', msg: 'request failed' },
    ]);
  });

  it('logs Error messages as err and other objects as data', () => {
    const { adapter, lines } = adapterWithLines();
    adapter.error(new Error('boom'), 'Bootstrap');
    adapter.log({ port: 3000 }, 'Bootstrap');

    expect(lines[0]).toMatchObject({ level: 50, context: 'Bootstrap', msg: 'boom', err: { type: 'Error', message: 'boom' } });
    expect(lines[1]).toEqual({ level: 30, context: 'Bootstrap', data: { port: 3000 } });
  });

  it('follows setLogLevels to the most verbose level given', () => {
    const { adapter, logger } = adapterWithLines();
    adapter.setLogLevels(['error', 'warn', 'log']);
    expect(logger.level).toBe('info');
    adapter.setLogLevels(['verbose', 'error']);
    expect(logger.level).toBe('trace');
    adapter.setLogLevels([]);
    expect(logger.level).toBe('silent');
  });
});
