import { isIP, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ISocketFactory, Kafka, logLevel, LogEntry } from 'kafkajs';
import { KafkaSettings } from './kafka-settings';
import { installRequestQueueTimers } from './request-queue-timer';

/** The subset of a pino logger kafkajs messages are routed to (pino's `(object, message)` call shape). */
export interface KafkaLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

// Until a service hands in its pino logger, warnings still go out as one JSON line each, like pino would write them.
const stderrLogger: KafkaLogger = {
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'error', msg, ...obj })}\n`),
  warn: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...obj })}\n`),
  info: () => {},
  debug: () => {},
};

// BatchingProducer bounds the idempotent producer's retries on purpose (an append must fail within about a minute so
// the HTTP request can answer); kafkajs warns about any bound on every producer it creates.
const EXPECTED_WARNINGS = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/**
 * kafkajs' own socket factory leaves Nagle's algorithm on. A connection that has a request on the wire unacknowledged
 * (a consumer's long-poll fetch) then holds every small request after it (heartbeats, offset commits) until the broker's
 * delayed ACK, tens of milliseconds; every Kafka client of the JVM sets TCP_NODELAY for that reason. Same otherwise:
 * keep-alive after a minute, SNI for host names.
 */
const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : tcpConnect({ host, port }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

function route(logger: KafkaLogger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      if (EXPECTED_WARNINGS.has(message)) return;
      const obj: Record<string, unknown> = { component: 'kafkajs', namespace, ...fields };
      // Error objects serialize to {} in JSON; keep what a reader needs.
      for (const [name, value] of Object.entries(obj)) {
        if (value instanceof Error) obj[name] = { name: value.name, message: value.message };
      }
      // kafkajs logs every error response it is about to retry (coordinator loading, leader moved) at ERROR from the
      // connection layer; the operation's own failure, if retries run out, still surfaces as ERROR from its caller.
      if (namespace === 'Connection' && level === logLevel.ERROR) logger.debug(obj, message);
      else if (level === logLevel.ERROR) logger.error(obj, message);
      else if (level === logLevel.WARN) logger.warn(obj, message);
      else if (level === logLevel.INFO) logger.info(obj, message);
      else logger.debug(obj, message);
    };
}

export function createKafka(settings: KafkaSettings, logger: KafkaLogger = stderrLogger): Kafka {
  // Without it every connection of the client wakes the process every millisecond (see request-queue-timer.ts).
  installRequestQueueTimers();
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    // WARN: kafkajs logs every retried connection at ERROR and every join/commit at INFO; INFO would drown service logs.
    logLevel: logLevel.WARN,
    logCreator: route(logger),
    connectionTimeout: 3000,
    socketFactory: noDelaySocketFactory,
    requestTimeout: 30_000,
    // About 1 minute of exponential backoff (300 ms → 30 s cap) before an operation gives up: rides out a broker
    // restart or leader election, and still fails visibly when the cluster is really gone.
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
  });
}
