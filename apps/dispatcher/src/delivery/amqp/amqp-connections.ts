import { AmqpPlainV1, EndpointClientCertificateV1, EndpointId } from '@hookline/contracts';
import { AmqpDestination, VettedAddressResolver } from '@hookline/net-guard';
import amqp, { type ChannelModel, type ConfirmChannel, type Message } from 'amqplib';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { ClientPool, ClientPoolObserver } from '../broker/client-pool';
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
  /** Told of connections opened, closed and refused (the metrics). */
  observer?: ClientPoolObserver;
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

/** One broker connection and its confirm channel, as the pool holds it. */
interface AmqpClient {
  connection: ChannelModel;
  channel?: Promise<OpenChannel>;
  /** Why the broker or the network closed the connection, for the publishes on it. */
  closedBy?: Error;
}

// A broker that does not answer connection.close must not keep a socket open for ever, nor one still connecting hold
// up shutdown.
const CLOSE_TIMEOUT_MS = 2000;

/**
 * One AMQP connection with one confirm channel per broker, virtual host and identity (TLS, the client certificate it
 * presents, its login), shared by every endpoint publishing there as the same user and by concurrent attempts, whose
 * publishes are pipelined on the channel; endpoints with other credentials never share a connection logged in as
 * someone else. Each connection dials the address the SSRF policy vetted (TLS still checks the host name), is opened
 * on first use, taken out when the broker or the network closes it (the next attempt reconnects), closed after `idleMs`
 * without attempts, once no endpoint uses it any more (deleted or changed), the longest idle one when
 * `maxConnections` are open and another is needed, and all of them at shutdown (see ClientPool). A channel the broker
 * closed (a missing exchange) is reopened on the same connection. Each destination waits only for its own connection:
 * a slow or unreachable broker holds up its own endpoints' attempts, never anyone else's.
 */
export class AmqpConnections {
  private readonly pool: ClientPool<AmqpClient>;
  private readonly keyOfEndpoint = new Map<EndpointId, string>();
  /** The endpoints that published as each identity: its connection is closed once none of them is left. */
  private readonly endpointsOfKey = new Map<string, Set<EndpointId>>();

  constructor(private readonly options: AmqpConnectionsOptions) {
    this.pool = new ClientPool({
      idleMs: options.idleMs, maxClients: options.maxConnections, limitError: (limit) => new AmqpConnectionLimitError(limit),
      close: (client) => closeQuietly(client.connection), observer: options.observer,
    });
  }

  /**
   * Publishes one message with a publisher confirm. Rejects with AmqpDeadlineError after `timeoutMs` (connecting
   * included), AmqpUnroutableError (returned), AmqpNackError, ClientCertificateUnavailableError or
   * AmqpPasswordUnavailableError (nothing sent), AmqpConnectionLimitError, or what amqplib or the resolver threw.
   */
  async publish(endpointId: EndpointId, destination: AmqpDestination, credentials: AmqpCredentials, message: AmqpDestinationMessage, timeoutMs: number): Promise<void> {
    const key = connectionKey(destination, credentials);
    this.track(endpointId, key);
    const published = this.pool.use(key, () => this.connect(key, destination, credentials), (client) => this.send(key, client, destination.exchange, message));
    return withDeadline(published, timeoutMs, () => new AmqpDeadlineError(timeoutMs));
  }

  /** The endpoint was deleted or its URL or credentials changed: its connection goes once no other endpoint uses it. */
  forget(endpointId: EndpointId): void {
    const key = this.keyOfEndpoint.get(endpointId);
    if (key === undefined) return;
    this.keyOfEndpoint.delete(endpointId);
    const endpoints = this.endpointsOfKey.get(key);
    endpoints?.delete(endpointId);
    if (endpoints?.size) return;
    this.endpointsOfKey.delete(key);
    this.pool.retire(key);
  }

  /** Connections open or opening (for tests and metrics). */
  get size(): number {
    return this.pool.size;
  }

  /** Closes every connection (dispatcher shutdown); attempts still running on them fail. */
  async destroy(): Promise<void> {
    this.keyOfEndpoint.clear();
    this.endpointsOfKey.clear();
    // One still connecting is not waited for long: the pool closes it once open, after shutdown went on.
    await this.pool.closeAll(CLOSE_TIMEOUT_MS);
  }

  /** Closes the connections nobody used for `idleMs` (called by the pool's sweeper; `now` for tests). */
  closeIdle(now: number): void {
    this.pool.closeIdle(now);
  }

  private track(endpointId: EndpointId, key: string): void {
    const previous = this.keyOfEndpoint.get(endpointId);
    if (previous === key) return;
    // The endpoint now publishes as someone else or elsewhere: its old connection may be nobody's any more.
    if (previous !== undefined) this.forget(endpointId);
    this.keyOfEndpoint.set(endpointId, key);
    let endpoints = this.endpointsOfKey.get(key);
    if (!endpoints) this.endpointsOfKey.set(key, (endpoints = new Set()));
    endpoints.add(endpointId);
  }

  private async send(key: string, client: AmqpClient, exchange: string, message: AmqpDestinationMessage): Promise<void> {
    try {
      const open = await this.channelOf(client);
      await confirmedPublish(open, exchange, message);
    } catch (err) {
      throw client.closedBy ?? err;
    } finally {
      // An 'error' without the 'close' that should follow it still leaves the connection unusable.
      if (client.closedBy) this.pool.discard(key, client);
    }
  }

  private channelOf(client: AmqpClient): Promise<OpenChannel> {
    if (!client.channel) {
      const opening = client.connection.createConfirmChannel().then((channel) => {
        const open: OpenChannel = { channel, unconfirmed: [] };
        open.channel.on('error', (err: Error) => (open.closedBy = err));
        open.channel.on('close', () => {
          if (client.channel === opening) client.channel = undefined;
        });
        open.channel.on('return', (returned: Message) => markReturned(open, returned));
        return open;
      });
      opening.catch(() => {
        if (client.channel === opening) client.channel = undefined;
      });
      client.channel = opening;
    }
    return client.channel;
  }

  private async connect(key: string, destination: AmqpDestination, { certificate, login }: AmqpCredentials): Promise<AmqpClient> {
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
    const address = await this.options.resolve(destination.host);
    const connection = await amqp.connect(
      // amqplib unescapes the vhost it is given, as it would a URL's path.
      { protocol: destination.tls ? 'amqps' : 'amqp', hostname: address, port: destination.port, vhost: encodeURIComponent(destination.vhost) },
      {
        credentials, timeout: connectTimeoutMs, noDelay: true, clientProperties: { connection_name: clientName },
        ...(destination.tls ? { ...(isIP(destination.host) ? {} : { servername: destination.host }), ...(ca === undefined ? {} : { ca }), ...(clientCertificate ?? {}) } : {}),
      },
    );
    const client: AmqpClient = { connection };
    connection.on('error', (err: Error) => (client.closedBy = err));
    connection.on('close', (err?: Error) => {
      client.closedBy ??= err ?? new Error('the broker closed the connection');
      this.pool.discard(key, client);
    });
    return client;
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

async function closeQuietly(connection: ChannelModel): Promise<void> {
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
