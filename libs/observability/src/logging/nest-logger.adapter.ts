import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger } from 'pino';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const PINO_LEVEL: Record<LogLevel, PinoLevel> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

// From most to least severe, so the most verbose level Nest asks for is the last one present.
const SEVERITY_ORDER: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Nest's `LoggerService` over a pino logger, so framework lines (routes mapped, module init, unhandled exceptions) come out as
 * the same redacted JSON with trace ids. Nest's context (`RouterExplorer`, a service class name) becomes the `context` field and
 * an error's stack the `stack` field. Use it with `NestFactory.create(AppModule, { bufferLogs: true })` and
 * `app.useLogger(new NestLoggerAdapter(logger))`.
 */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest's `log` level, written at pino `info`. */
  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('log', message, optionalParams);
  }

  /** Written at pino `error`; Nest passes `(message, stack?, context?)`. */
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  /** Written at pino `warn`. */
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  /** Written at pino `debug`. */
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  /** Nest's `verbose`, written at pino `trace`. */
  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('verbose', message, optionalParams);
  }

  /** Written at pino `fatal`. */
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /** Sets the pino level to the most verbose of the Nest levels given (`silent` when none). */
  setLogLevels(levels: LogLevel[]): void {
    const mostVerbose = [...SEVERITY_ORDER].reverse().find((level) => levels.includes(level));
    this.logger.level = mostVerbose === undefined ? 'silent' : PINO_LEVEL[mostVerbose];
  }

  private write(level: LogLevel, message: unknown, optionalParams: unknown[]): void {
    const fields = level === 'error' ? errorFields(optionalParams) : contextFields(optionalParams);
    const log = this.logger[PINO_LEVEL[level]].bind(this.logger);
    if (message instanceof Error) log({ ...fields, err: message }, message.message);
    else if (typeof message === 'string') log(fields, message);
    else log({ ...fields, data: message });
  }
}

// Nest appends the logger's context as the last argument when the calling `Logger` has one.
function contextFields(optionalParams: unknown[]): Record<string, unknown> {
  const params = [...optionalParams];
  const fields: Record<string, unknown> = {};
  if (typeof params[params.length - 1] === 'string') fields['context'] = params.pop();
  if (params.length > 0) fields['params'] = params;
  return fields;
}

// Nest calls `error(message, stack?, context?)`; a lone string argument is the stack if it looks like one, else the context.
function errorFields(optionalParams: unknown[]): Record<string, unknown> {
  if (optionalParams.length === 1 && isStack(optionalParams[0])) return { stack: optionalParams[0] };
  const params = [...optionalParams];
  const fields: Record<string, unknown> = {};
  if (typeof params[params.length - 1] === 'string') fields['context'] = params.pop();
  if (params.length > 0 && (typeof params[0] === 'string' || params[0] === undefined)) {
    const stack = params.shift();
    if (stack !== undefined) fields['stack'] = stack;
  }
  if (params.length > 0) fields['params'] = params;
  return fields;
}

function isStack(value: unknown): value is string {
  return typeof value === 'string' && /\n\s+at .+/.test(value);
}
