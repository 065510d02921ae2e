import { EndpointClientCertificateV1 } from '@hookline/contracts';
import { waitFor } from '@hookline/testing';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(60_000);

const DAY = 86_400_000;
/** The watch reads only the certificate's recorded expiry and fingerprint: the PEM itself plays no part here. */
const certificate = (fingerprint: string, notAfter: Date): EndpointClientCertificateV1 =>
  ({ cert_pem: '-----BEGIN CERTIFICATE-----', key_sealed: 'enc:v1:unused', fingerprint_sha256: fingerprint, not_after: notAfter.toISOString() });

describe('client certificate expiry warnings (real Kafka, real Postgres)', () => {
  const h = new DispatcherHarness('cert-expiry');
  const env = { CLIENT_CERT_WARN_DAYS: '14', CLIENT_CERT_CHECK_INTERVAL_MS: '200' };
  const warnings = (endpointId: string) => h.events('endpoint.client_certificate_expiring.v1').filter((e) => e.data.endpoint_id === endpointId);
  const settle = () => new Promise((r) => setTimeout(r, 1_000)); // five passes of the watch

  beforeAll(async () => {
    await h.setUp();
    await h.startDispatcher(env);
  });
  afterAll(() => h.tearDown());

  it('warns once when a certificate enters the warning period, not on every pass nor after a restart; a renewed one starts over', async () => {
    const notAfter = new Date(Date.now() + 3 * DAY + 3_600_000);
    const ep = await h.createEndpoint('https://hooks.example.com/in', { client_certificate: certificate('AA:01', notAfter) });
    const [first] = await waitFor(() => (warnings(ep.endpointId).length ? warnings(ep.endpointId) : undefined));
    expect(first).toMatchObject({ topicKey: 'operational', key: h.tenantId,
      data: { fingerprint_sha256: 'AA:01', not_after: notAfter.toISOString(), stage: 'expiring', days_left: 3 } });
    await settle();
    await h.stopDispatcher();
    await h.startDispatcher(env);
    await settle();
    expect(warnings(ep.endpointId)).toHaveLength(1);

    await h.appendConfig({ type: 'endpoint.updated.v1', data: { endpoint_id: ep.endpointId, client_certificate: certificate('AA:02', new Date(Date.now() + 5 * DAY)) } });
    await waitFor(() => warnings(ep.endpointId).length === 2);
    expect(warnings(ep.endpointId)[1].data).toMatchObject({ fingerprint_sha256: 'AA:02', stage: 'expiring' });
  });

  it('says so once a certificate has expired, and stays quiet about one far from expiry', async () => {
    const expired = await h.createEndpoint('https://hooks.example.com/old', { client_certificate: certificate('BB:01', new Date(Date.now() - DAY - 60_000)) });
    const fresh = await h.createEndpoint('https://hooks.example.com/new', { client_certificate: certificate('CC:01', new Date(Date.now() + 90 * DAY)) });
    await waitFor(() => warnings(expired.endpointId).length === 1);
    expect(warnings(expired.endpointId)[0].data).toMatchObject({ stage: 'expired', days_left: -1 });
    await settle();
    expect(warnings(expired.endpointId)).toHaveLength(1);
    expect(warnings(fresh.endpointId)).toHaveLength(0);
  });
});
