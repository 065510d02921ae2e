import { EndpointClientCertificateV1, EndpointId } from '@hookline/contracts';
import type { Dispatcher } from 'undici';

export interface EndpointAgentsOptions {
  /** The agent of every endpoint without a client certificate. */
  shared: Dispatcher;
  /** A guarded agent like the shared one that also presents this certificate (mutual TLS). */
  withClientCertificate: (certificate: { cert: string; key: string }) => Dispatcher;
  /** Opens the sealed private key (throws when it was sealed under another key). */
  open: (sealed: string) => string;
}

interface Held {
  /** The certificate settings the agent was made for: a changed certificate gets a new agent. */
  fingerprint: string;
  agent: Dispatcher;
}

/** An endpoint's client certificate cannot be used: the attempt fails (class endpoint_unavailable), nothing is sent. */
export class ClientCertificateUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientCertificateUnavailableError';
  }
}

/**
 * The HTTP agent of each endpoint. Endpoints with a client certificate get an agent of their own, so their
 * certificate is never offered on connections to anyone else and their pooled sockets are never shared; the rest share
 * one. An agent whose certificate was replaced is closed once the requests it carries have finished.
 */
export class EndpointAgents {
  private readonly own = new Map<EndpointId, Held>();

  constructor(private readonly options: EndpointAgentsOptions) {}

  /** Throws ClientCertificateUnavailableError. */
  for(endpointId: EndpointId, certificate: EndpointClientCertificateV1 | null | undefined): Dispatcher {
    if (!certificate) {
      this.retire(endpointId);
      return this.options.shared;
    }
    const fingerprint = `${certificate.fingerprint_sha256}\u0000${certificate.key_sealed}`;
    const held = this.own.get(endpointId);
    if (held?.fingerprint === fingerprint) return held.agent;
    let key: string;
    try {
      key = this.options.open(certificate.key_sealed);
    } catch (err) {
      throw new ClientCertificateUnavailableError(`cannot open the client certificate's key: ${(err as Error).message}`);
    }
    this.retire(endpointId);
    const agent = this.options.withClientCertificate({ cert: certificate.cert_pem, key });
    this.own.set(endpointId, { fingerprint, agent });
    return agent;
  }

  /** The endpoint is gone: its agent is closed once the requests it carries have finished. */
  forget(endpointId: EndpointId): void {
    this.retire(endpointId);
  }

  /** Agents of their own in use (for tests and metrics). */
  get size(): number {
    return this.own.size;
  }

  /** Drops every agent at shutdown without waiting for their requests (see the dispatcher's shutdown). */
  async destroy(): Promise<void> {
    const agents = [...this.own.values()].map((h) => h.agent);
    this.own.clear();
    await Promise.all(agents.map((a) => a.destroy().catch(() => undefined)));
  }

  private retire(endpointId: EndpointId): void {
    const held = this.own.get(endpointId);
    if (!held) return;
    this.own.delete(endpointId);
    void held.agent.close().catch(() => undefined);
  }
}
