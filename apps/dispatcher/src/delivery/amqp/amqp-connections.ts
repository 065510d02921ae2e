import { AmqpPlainV1, EndpointClientCertificateV1, EndpointId } from '@hookline/contracts';
import { AmqpDestination, VettedAddressResolver } from '@hookline/net-guard';
import amqp, { type ChannelModel, type ConfirmChannel, type Message } from 'amqplib';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { withDeadline } from '../broker/with-deadline';
import { openClientCertificate } from '../broker/open-client-certificate';
import { AmqpConnectionLimitError, AmqpDeadlineError, AmqpNackError, AmqpPasswordUnavailableError, AmqpUnroutableError } from './amqp-attempt-error';
import { AmqpDestinationMessage } from './amqp-message';

export interface AmqpConnectionsOptions {
  /** The SSRF address policy's resolver: the one address a connection to a broker may dial. */
  resolve: VettedAddressResolver;
  /** Shown as the connection's name on the broker (RabbitMQ's management UI lists it). */
  clientName: string;
  connectTimeoutMs: number;
  /** Trust anchors replacing the system's (the public roots plus DELIVERY_EXTRA_CA_FILE); undefined: the system's. */
  ca?: SecureContextOptions['ca'];
  /** A connection no attempt used for this long is closed. */
  idleMs: number;
  /** At most this many connections open at once; an idle one is closed to make room, else the attempt fails. */
  maxConnections: number;
  /** Opens a client certificate's sealed private key or an AMQP password (throws when it was sealed under another key). */
  open: (sealed: string) => string;
}

/** How an endpoint's connection authenticates to its broker: the client certificate it presents, its PLAIN login. */
export interface AmqpCredentials {
  certificate?: EndpointClientCertificateV1 | null;
  login?: AmqpPlainV1 | null;
}

/** A publish waiting for its confirm, to tell a returned (unroutable) message from a routed one. */
interface Unconfirmed {
  exchange: string;
  routingKey: string;
  messageId: string | undefined;
  returned?: string;
}

interface OpenChannel {
  channel: ConfirmChannel;
  unconfirmed: Unconfirmed[];
  /** Why the broker closed the channel (a publish to a missing exchange: 404), for the publishes it took with it. */
  closedBy?: Error;
}

interface Held {
  connection: Promise<ChannelModel>;
  channel?: Promise<OpenChannel>;
  /** Why the broker or the network closed the connection, for the publishes on it. */
  closedBy?: Error;
  users: number;
  lastUsedAt: number;
  /** The endpoints that published through it: it is closed once none of them is left. */
  endpoints: Set<EndpointId>;
  /** Out of the pool: closed once its last attempt ended; the next attempt connects anew. */
  retired: boolean;
}

// A broker that does not answer connection.close must not keep a socket open for ever.
const CLOSE_TIMEOUT_MS = 2000;

/**
 * One AMQP connection with one confirm channel per broker, virtual host and identity (TLS, the client certificate it
 * presents, its login), shared by every endpoint publishing there as the same user and by concurrent attempts, whose
 * publishes are pipelined on the channel; endpoints with other credentials never share a connection logged in as
 * someone else. Each connection dials the address the SSRF policy vetted (TLS still checks the host name), is opened
 * on first use, taken out when the broker or the network closes it (the next attempt reconnects), closed after `idleMs`
 * without attempts, once no endpoint uses it any more (deleted or changed), and all of them at shutdown. A channel the
 * broker closed (a missing exchange) is reopened on the same connection. Each destination waits only for its own
 * connection: a slow or unreachable broker holds up its own endpoints' attempts, never anyone else's.
 */
export class AmqpConnections {
  private readonly held = new Map<string, Held>();
  private readonly keyOfEndpoint = new Map<EndpointId, string>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: AmqpConnectionsOptions) {
    this.sweeper = setInterval(() => this.closeIdle(Date.now()), Math.max(1000, Math.floor(options.idleMs / 2)));
    this.sweeper.unref();
  }

  /**
   * Publishes one message with a publisher confirm. Rejects with AmqpDeadlineError after `timeoutMs` (connecting
   * included), AmqpUnroutableError (returned), AmqpNackError, ClientCertificateUnavailableError or
   * AmqpPasswordUnavailableError (nothing sent), AmqpConnectionLimitError, or what amqplib or the resolver threw.
   */
  async publish(endpointId: EndpointId, destination: AmqpDestination, credentials: AmqpCredentials, message: AmqpDestinationMessage, timeoutMs: number): Promise<void> {
    const key = connectionKey(destination, credentials);
    let held = this.held.get(key);
    if (!held) {
      this.makeRoom();
      held = this.connect(destination, credentials);
      this.held.set(key, held);
    }
    this.use(endpointId, key, held);
    return withDeadline(this.send(key, held, destination.exchange, message), timeoutMs, () => new AmqpDeadlineError(timeoutMs));
  }

  /** The endpoint was deleted or its URL or credentials changed: its connection goes once no other endpoint uses it. */
  forget(endpointId: EndpointId): void {
    const key = this.keyOfEndpoint.get(endpointId);
    if (key === undefined) return;
    this.keyOfEndpoint.delete(endpointId);
    const held = this.held.get(key);
    if (!held) return;
    held.endpoints.delete(endpointId);
    if (held.endpoints.size === 0) this.retire(key, held);
  }

  /** Connections open or opening (for tests and metrics). */
  get size(): number {
    return this.held.size;
  }

  /** Closes every connection (dispatcher shutdown); attempts still running on them fail. */
  async destroy(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.held.values()];
    this.held.clear();
    this.keyOfEndpoint.clear();
    for (const held of all) held.retired = true;
    await Promise.all(all.map((h) => closeQuietly(h)));
  }

  /** Closes the connections nobody used for `idleMs` (called by the sweeper; `now` for tests). */
  closeIdle(now: number): void {
    for (const [key, held] of this.held) {
      if (held.users === 0 && now - held.lastUsedAt >= this.options.idleMs) this.retire(key, held);
    }
  }

  private use(endpointId: EndpointId, key: string, held: Held): void {
    const previous = this.keyOfEndpoint.get(endpointId);
    if (previous === key) return;
    // The endpoint now publishes as someone else or elsewhere: its old connection may be nobody's any more.
    if (previous !== undefined) this.forget(endpointId);
    this.keyOfEndpoint.set(endpointId, key);
    held.endpoints.add(endpointId);
  }

  private async send(key: string, held: Held, exchange: string, message: AmqpDestinationMessage): Promise<void> {
    held.users += 1;
    try {
      const open = await this.channelOf(held);
      await confirmedPublish(open, exchange, message);
    } catch (err) {
      throw held.closedBy ?? err;
    } finally {
      held.users -= 1;
      held.lastUsedAt = Date.now();
      if (held.retired && held.users === 0) void closeQuietly(held);
      else if (held.closedBy) this.retire(key, held);
    }
  }

  private channelOf(held: Held): Promise<OpenChannel> {
    if (!held.channel) {
      const opening = held.connection.then(async (connection) => {
        const open: OpenChannel = { channel: await connection.createConfirmChannel(), unconfirmed: [] };
        open.channel.on('error', (err: Error) => (open.closedBy = err));
        open.channel.on('close', () => {
          if (held.channel === opening) held.channel = undefined;
        });
        open.channel.on('return', (returned: Message) => markReturned(open, returned));
        return open;
      });
      opening.catch(() => {
        if (held.channel === opening) held.channel = undefined;
      });
      held.channel = opening;
    }
    return held.channel;
  }

  private connect(destination: AmqpDestination, { certificate, login }: AmqpCredentials): Held {
    const clientCertificate = openClientCertificate(certificate, this.options.open);
    let password: string | undefined;
    if (login) {
      try {
        password = this.options.open(login.password_sealed);
      } catch (err) {
        throw new AmqpPasswordUnavailableError(`cannot open the AMQP password: ${(err as Error).message}`);
      }
    }
    // Without a login: EXTERNAL, the broker taking the client certificate's name (rabbitmq_auth_mechanism_ssl), else
    // RabbitMQ's default guest user, as an amqp URL without user info means (RabbitMQ admits it only from loopback).
    const credentials = login ? amqp.credentials.plain(login.username, password!) : certificate ? amqp.credentials.external() : amqp.credentials.plain('guest', 'guest');
    const { ca, connectTimeoutMs, clientName } = this.options;
    // The connection's listeners need the held entry, so the promise is set on it right after.
    const held = { users: 0, lastUsedAt: Date.now(), endpoints: new Set(), retired: false } as Partial<Held> as Held;
    held.connection = this.options.resolve(destination.host).then(async (address) => {
      const connection = await amqp.connect(
        // amqplib unescapes the vhost it is given, as it would a URL's path.
        { protocol: destination.tls ? 'amqps' : 'amqp', hostname: address, port: destination.port, vhost: encodeURIComponent(destination.vhost) },
        {
          credentials, timeout: connectTimeoutMs, noDelay: true, clientProperties: { connection_name: clientName },
          ...(destination.tls ? { ...(isIP(destination.host) ? {} : { servername: destination.host }), ...(ca === undefined ? {} : { ca }), ...(clientCertificate ?? {}) } : {}),
        },
      );
      connection.on('error', (err: Error) => (held.closedBy = err));
      connection.on('close', (err?: Error) => {
        held.closedBy ??= err ?? new Error('the broker closed the connection');
        for (const [key, h] of this.held) if (h === held) this.retire(key, held);
      });
      if (held.retired) void connection.close().catch(() => undefined);
      return connection;
    });
    held.connection.catch(() => {
      for (const [key, h] of this.held) if (h === held) this.retire(key, held);
    });
    return held;
  }

  /** Closes the longest-idle connection when the pool is full; fails the attempt when every one is in use. */
  private makeRoom(): void {
    if (this.held.size < this.options.maxConnections) return;
    let idlest: [string, Held] | undefined;
    for (const entry of this.held) if (entry[1].users === 0 && (!idlest || entry[1].lastUsedAt < idlest[1].lastUsedAt)) idlest = entry;
    if (!idlest) throw new AmqpConnectionLimitError(this.options.maxConnections);
    this.retire(...idlest);
  }

  private retire(key: string, held: Held): void {
    if (this.held.get(key) === held) this.held.delete(key);
    for (const endpointId of held.endpoints) if (this.keyOfEndpoint.get(endpointId) === key) this.keyOfEndpoint.delete(endpointId);
    if (held.retired) return;
    held.retired = true;
    if (held.users === 0) void closeQuietly(held);
  }
}

/**
 * Publishes on the confirm channel and settles on the broker's confirm: an ack after a basic.return of this message
 * means no queue took it. RabbitMQ sends the return before the ack, and amqplib delivers both in order.
 */
function confirmedPublish(open: OpenChannel, exchange: string, message: AmqpDestinationMessage): Promise<void> {
  const entry: Unconfirmed = { exchange, routingKey: message.routingKey, messageId: message.properties.messageId };
  open.unconfirmed.push(entry);
  return new Promise<void>((resolve, reject) => {
    const settle = (err: unknown) => {
      const index = open.unconfirmed.indexOf(entry);
      if (index !== -1) open.unconfirmed.splice(index, 1);
      if (open.closedBy) reject(open.closedBy);
      else if (err) reject(err instanceof Error && err.message === 'message nacked' ? new AmqpNackError() : err);
      else if (entry.returned !== undefined) reject(new AmqpUnroutableError(exchange, message.routingKey, entry.returned));
      else resolve();
    };
    try {
      // false only asks to wait for 'drain' before the next write: the message is buffered, its confirm still comes.
      open.channel.publish(exchange, message.routingKey, message.content, message.properties, settle);
    } catch (err) {
      settle(err);
    }
  });
}

// Returns carry no delivery tag: the earliest unconfirmed publish of the same message, exchange and routing key is the
// one returned (an identical one published after it routes the same way, so the pairing cannot mix outcomes).
function markReturned(open: OpenChannel, returned: Message): void {
  const { exchange, routingKey, replyText } = returned.fields as unknown as { exchange: string; routingKey: string; replyText: string };
  const entry = open.unconfirmed.find((u) => u.returned === undefined && u.exchange === exchange && u.routingKey === routingKey
    && u.messageId === returned.properties.messageId);
  if (entry) entry.returned = replyText || 'NO_ROUTE';
}

async function closeQuietly(held: Held): Promise<void> {
  // One still connecting is not waited for: it closes itself once open, seeing it was retired (see connect).
  const connection = await withDeadline(held.connection, CLOSE_TIMEOUT_MS, () => new Error('still connecting')).catch(() => undefined);
  if (!connection) return;
  await withDeadline(connection.close(), CLOSE_TIMEOUT_MS, () => new Error('close timed out')).catch(() => {
    // amqplib keeps the socket on its connection: a broker that never answered close-ok gets it cut.
    (connection as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  });
}

/**
 * The broker, virtual host and identity a connection is for: TLS, host, port, vhost, the certificate it presents (by
 * fingerprint) and the login's user name and password (by a hash of the sealed password: a changed password, or one
 * sealed again under a new key, gets a connection of its own; the old one is closed when idle).
 */
export function connectionKey(destination: AmqpDestination, { certificate, login }: AmqpCredentials): string {
  const loginIdentity = login ? [login.username, createHash('sha256').update(login.password_sealed).digest('base64url')] : [];
  // JSON, so no user name or vhost can make two identities read alike.
  return JSON.stringify([destination.tls ? 'tls' : 'plain', destination.host, destination.port, destination.vhost, certificate?.fingerprint_sha256 ?? '', ...loginIdentity]);
}
