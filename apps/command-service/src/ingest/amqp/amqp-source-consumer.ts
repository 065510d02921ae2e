import type { Logger, Metrics } from '@hookline/observability';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { PublishMessageHandler } from '../../commands/publish-message/publish-message.handler';
import { finalRefusal, publishFromSource } from '../publish-from-source';
import type { sourceRecordsCounter } from '../source-metrics';
import { readSourceRecord, type SourceReading } from '../source-record';
import { amqpReading, readAmqpDelivery, type AmqpRecord } from './amqp-message';
import type { AmqpSource, AmqpSourceTiming } from './amqp-sources';
import { redactAmqpUrl, redactedMessage } from './amqp-url';
import { backoffMs, pause, within } from './backoff';
import { KeyedLines } from './keyed-lines';

export interface AmqpSourceDeps {
  publisher: Pick<PublishMessageHandler, 'execute'>;
  log: Logger;
  records: ReturnType<typeof sourceRecordsCounter>;
  connected: ReturnType<Metrics['gauge']>;
  timing: AmqpSourceTiming;
}

/** One connection and channel consuming the queue; `lost` once either closed, for whatever reason. */
interface Session {
  connection: ChannelModel;
  channel: Channel;
  consumerTag: string;
  lost: boolean;
  /** Aborts when the session is lost or the source stops: a message waiting to be tried again stops waiting. */
  over: AbortSignal;
  /** Resolves, with why, when the session is lost. */
  ended: Promise<string>;
}

/**
 * Consumes one AMQP source's queue with manual acknowledgements, at most `prefetch` messages unacknowledged: each
 * message is acknowledged only once Kafka acknowledged its publish, and refused for good with
 * `nack(requeue=false)`, so the queue's dead-letter exchange gets it. While Kafka or Postgres is unavailable a
 * message is published again after a backoff, held unacknowledged meanwhile (its line of ordering key waits behind
 * it, so per-key order holds); it goes back to the queue if the connection is lost or the service stops. A lost
 * connection or channel is reopened with backoff, for as long as the service runs.
 */
export class AmqpSourceConsumer {
  private readonly lines = new KeyedLines();
  private readonly stopping = new AbortController();
  /** Resolves at the stop (to why a session's wait ended). */
  private readonly stopped = new Promise<string>((resolve) => this.stopping.signal.addEventListener('abort', () => resolve('stopping'), { once: true }));
  private readonly reading: SourceReading;
  private readonly where: { source: string; url: string; queue: string };
  private session: Session | null = null;
  private consuming: Promise<void> = Promise.resolve();

  constructor(private readonly source: AmqpSource, private readonly deps: AmqpSourceDeps) {
    this.reading = amqpReading(source);
    this.where = { source: source.name, url: redactAmqpUrl(source.url), queue: source.queue };
  }

  /**
   * Connects and starts consuming. Throws, saying which source and broker (never its password), when the broker
   * refuses or cannot be reached, or the queue does not exist: a source set up wrong stops the service's start.
   */
  async start(): Promise<void> {
    const first = await this.open();
    this.deps.log.info({ ...this.where, tenant_id: this.source.tenant_id, prefetch: this.source.prefetch }, 'consuming AMQP source');
    this.consuming = this.keepConsuming(first);
  }

  /** Messages ready in the queue (not yet handed to any consumer); undefined while disconnected. */
  async queueDepth(): Promise<number | undefined> {
    const session = this.session;
    if (!session || session.lost) return undefined;
    const ms = this.deps.timing.requestTimeoutMs;
    // A channel of its own: a failed check closes its channel, which must not be the one holding unacked messages.
    const channel = await within(session.connection.createChannel(), ms, 'opening a channel');
    channel.on('error', () => undefined);
    try {
      return (await within(channel.checkQueue(this.source.queue), ms, 'checking the queue')).messageCount;
    } finally {
      await within(channel.close(), ms, 'closing the channel').catch(() => undefined);
    }
  }

  /**
   * Stops taking messages, lets the publishes under way finish (and be acknowledged), then closes: a message whose
   * publish had not started, or was waiting to be tried again, goes back to the queue unacknowledged.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    const session = this.session;
    const ms = this.deps.timing.requestTimeoutMs;
    if (session && !session.lost) await within(session.channel.cancel(session.consumerTag), ms, 'cancelling the consumer').catch(() => undefined);
    await this.lines.idle();
    if (session) await within(session.connection.close(), ms, 'closing the connection').catch(() => undefined);
    await this.consuming;
  }

  private async keepConsuming(first: Session): Promise<void> {
    let session: Session | null = first;
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      if (session) {
        // Or the stop: a connection whose close was never answered never says it ended.
        const why = await Promise.race([session.ended, this.stopped]);
        if (this.stopping.signal.aborted) return;
        this.deps.log.warn({ ...this.where, reason: why }, 'AMQP source lost its connection; reconnecting');
        session = null;
        attempt = 0;
      }
      const delay = backoffMs(++attempt, this.deps.timing.reconnectMs, this.deps.timing.reconnectMaxMs);
      if (await pause(delay, this.stopping.signal)) return;
      try {
        session = await this.open();
        if (this.stopping.signal.aborted) {
          await session.connection.close().catch(() => undefined);
          return;
        }
        this.deps.log.info({ ...this.where, attempt }, 'AMQP source reconnected');
      } catch (err) {
        this.deps.log.warn({ ...this.where, attempt, next_try_ms: backoffMs(attempt + 1, this.deps.timing.reconnectMs, this.deps.timing.reconnectMaxMs), reason: redactedMessage(err, this.source.url) }, 'AMQP source could not reconnect');
      }
    }
  }

  private async open(): Promise<Session> {
    const { url, queue, name, prefetch } = this.source;
    let connection: ChannelModel;
    try {
      connection = await amqp.connect(url, { timeout: this.deps.timing.connectTimeoutMs, clientProperties: { connection_name: `hookline-source-${name}` } });
    } catch (err) {
      throw new Error(`AMQP_SOURCES: source ${name} cannot connect to ${redactAmqpUrl(url)}: ${redactedMessage(err, url)}`);
    }
    // An error is always followed by 'close', where the session ends; without a listener it would crash the process.
    connection.on('error', () => undefined);
    const ms = this.deps.timing.requestTimeoutMs;
    try {
      const channel = await within(connection.createChannel(), ms, 'opening a channel');
      channel.on('error', () => undefined);
      // Declares nothing: the queue, its bindings and its dead-letter exchange are the user's, as they set them up.
      await within(channel.checkQueue(queue), ms, 'checking the queue').catch((err: Error) => {
        throw new Error(`the queue ${queue} cannot be consumed (${err.message}); declare it first`);
      });
      await within(channel.prefetch(prefetch), ms, 'setting the prefetch');
      let end: (why: string) => void = () => undefined;
      const ended = new Promise<string>((resolve) => (end = resolve));
      const gone = new AbortController();
      const over = AbortSignal.any([this.stopping.signal, gone.signal]);
      const session: Session = { connection, channel, consumerTag: '', lost: false, over, ended };
      const lose = (why: string) => {
        if (session.lost) return;
        session.lost = true;
        gone.abort();
        this.deps.connected.set({ source: name }, 0);
        void connection.close().catch(() => undefined);
        end(why);
      };
      connection.once('close', (err?: Error) => lose(err ? redactedMessage(err, url) : 'connection closed'));
      channel.once('close', () => lose('channel closed'));
      const { consumerTag } = await within(channel.consume(queue, (message) => {
        // null: the broker cancelled the consumer (the queue was deleted); reconnecting finds out whether it is back.
        if (message === null) lose('consumer cancelled by the broker');
        else this.take(session, message);
      }, { noAck: false }), ms, 'starting to consume');
      session.consumerTag = consumerTag;
      this.session = session;
      this.deps.connected.set({ source: name }, 1);
      return session;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw new Error(`AMQP_SOURCES: source ${name} (${redactAmqpUrl(url)}): ${redactedMessage(err, url)}`);
    }
  }

  private take(session: Session, message: ConsumeMessage): void {
    const read = readAmqpDelivery(this.source, message);
    // One line per ordering key, across sessions: a message redelivered after a reconnect waits for the earlier
    // session's publish of its key to end, so the order holds through a reconnect too.
    void this.lines.run(read.orderingKey, () => this.ingest(session, message, read));
  }

  private async ingest(session: Session, message: ConsumeMessage, delivery: AmqpRecord): Promise<void> {
    // Not started before the stop or the loss: left unacknowledged, it goes back to the queue with the channel.
    if (this.stopping.signal.aborted || session.lost) return;
    const read = readSourceRecord(this.reading, delivery.record);
    if (!read.ok) return this.reject(session, message, read.reason, read.detail);
    for (let attempt = 1; ; attempt++) {
      try {
        await publishFromSource(this.deps.publisher, {
          tenantId: this.source.tenant_id, callerId: `source:${this.source.name}`, headers: delivery.record.headers as Record<string, string>,
          publish: read.publish, idempotencyKey: delivery.idempotencyKey,
        });
      } catch (err) {
        const refusal = finalRefusal(err);
        if (refusal) return this.reject(session, message, refusal.reason, refusal.detail);
        // Logged on tries 1, 2, 4, 8…: an outage of minutes is a few lines per message, not one every backoff.
        if ((attempt & (attempt - 1)) === 0) {
          this.deps.log.warn({ ...this.where, attempt, message_id: message.properties.messageId, reason: redactedMessage(err, this.source.url) }, 'AMQP source could not publish a message yet; trying again');
        }
        // Cut short by a stop or a lost connection: the message goes back to the queue with the channel.
        if (await pause(backoffMs(attempt, this.deps.timing.retryMs, this.deps.timing.retryMaxMs), session.over)) return;
        continue;
      }
      this.settle(session, () => session.channel.ack(message));
      this.deps.records.inc({ source: this.source.name, outcome: 'published' });
      return;
    }
  }

  /** A message no other try would publish: to the queue's dead-letter exchange, if it has one (else RabbitMQ drops it). */
  private reject(session: Session, message: ConsumeMessage, reason: string, detail: string): void {
    this.deps.records.inc({ source: this.source.name, outcome: 'rejected' });
    this.deps.log.warn({
      ...this.where, message_id: message.properties.messageId, routing_key: message.fields.routingKey, redelivered: message.fields.redelivered, reason, detail,
    }, 'source message rejected');
    this.settle(session, () => session.channel.nack(message, false, false));
  }

  /**
   * Acknowledges or refuses on the channel the message came on. That channel may be gone (the connection was lost
   * while it was published): the broker has then put the message back, and its redelivery is published again under
   * the same idempotency key, which publishes nothing twice.
   */
  private settle(session: Session, act: () => void): void {
    if (session.lost) return;
    try {
      act();
    } catch {
      // The channel closed between the check and the call: as above.
    }
  }
}
