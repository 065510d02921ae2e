import type { EndpointState } from '@hookline/domain';
import { isAmqpUrl, isKafkaUrl } from '@hookline/net-guard';
import type { Logger } from '@hookline/observability';
import { EndpointChange } from '../config-view/endpoint-directory';
import { SigningSecrets, sealedValuesOf } from '../config-view/signing-secrets';
import { AmqpConnections } from '../delivery/amqp/amqp-connections';
import { DroppedDeliveries } from '../delivery/dropped-deliveries';
import { EndpointAgents } from '../delivery/endpoint-agents';
import { EndpointGate } from '../delivery/endpoint-gate';
import { EndpointHealth } from '../delivery/endpoint-health';
import { EndpointTokens } from '../delivery/oauth2/endpoint-tokens';
import { EndpointRows } from '../retry-store/endpoint-rows';

export interface EndpointStateHolders {
  gate: EndpointGate;
  agents: EndpointAgents;
  tokens: EndpointTokens;
  secrets: SigningSecrets;
  amqp: Pick<AmqpConnections, 'forget'>;
  health: EndpointHealth;
  rows: Pick<EndpointRows, 'forget'>;
  deliveries: Pick<DroppedDeliveries, 'endpointDeleted'>;
  log: Logger;
}

/**
 * What to do when a config event changes an endpoint: a dispatcher runs for months while customers create and delete
 * endpoints, so what it holds per endpoint (breaker, own connection pool, access token, opened secrets, failing run)
 * must go with the endpoint, or memory grows with every endpoint ever deleted, a deleted endpoint's open breaker stays
 * on /metrics (and in its alerts), and the plaintext of its secrets stays in this process. Its deliveries waiting in
 * the retry store are dropped (and announced), or the read models would show them retrying for ever. A replaced secret, client
 * secret or key is forgotten as soon as the endpoint no longer holds it, and so are the token and the own pool of an
 * endpoint whose auth or client certificate was removed. An AMQP destination's connection goes with the endpoint, or
 * with its old URL or credentials (once no other endpoint publishes through it).
 */
export function releaseEndpointState(holders: EndpointStateHolders): (change: EndpointChange) => void {
  const { gate, agents, tokens, secrets, amqp, health, rows, deliveries, log } = holders;
  return ({ endpointId, tenantId, before, after }) => {
    const kept = new Set(after ? sealedValuesOf(after) : []);
    secrets.forget(sealedValuesOf(before).filter((sealed) => !kept.has(sealed)));
    if (isAmqpUrl(before.settings.url) && (!after || amqpConnectionChanged(before, after))) amqp.forget(endpointId);
    if (after) {
      // OAuth 2.0 auth or the certificate removed: the token and the pool that presented the certificate are of no use any more.
      if (before.settings.auth?.type === 'oauth2_client_credentials' && after.settings.auth?.type !== 'oauth2_client_credentials') tokens.forget(endpointId);
      // A broker destination's client presents the certificate itself: the endpoint's own https pool is of no use either.
      const broker = isKafkaUrl(after.settings.url) || isAmqpUrl(after.settings.url);
      if (before.settings.client_certificate && (!after.settings.client_certificate || broker)) agents.forget(endpointId);
      return;
    }
    gate.forget(endpointId);
    agents.forget(endpointId);
    tokens.forget(endpointId);
    deliveries.endpointDeleted(tenantId, endpointId);
    Promise.all([health.forget(endpointId), rows.forget([endpointId])]).catch((err: Error) =>
      log.warn({ endpoint_id: endpointId, err: err.message }, 'could not forget a deleted endpoint\'s rows; they are tried again at the next start'));
  };
}

/** Whether the endpoint now connects elsewhere or as someone else: its URL, auth or client certificate changed. */
function amqpConnectionChanged(before: EndpointState, after: EndpointState): boolean {
  const { url, auth, client_certificate: certificate } = before.settings;
  return url !== after.settings.url || auth !== after.settings.auth || certificate !== after.settings.client_certificate;
}
