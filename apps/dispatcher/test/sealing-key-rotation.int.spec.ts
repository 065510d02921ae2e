import { DEV_SECRETS_ENCRYPTION_KEY } from '@hookline/config';
import { SecretId } from '@hookline/contracts';
import { parseSealingKey, sealSecret } from '@hookline/signing';
import { TestReceiver, startReceiver, waitFor } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { endpointCreated } from './support/config-events';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(60_000);

/**
 * After SECRETS_ENCRYPTION_KEY is rotated, the config topic still holds every endpoint secret sealed under the old
 * key: with the old key in SECRETS_ENCRYPTION_PREVIOUS_KEYS the dispatcher signs for those endpoints as for new ones.
 */
describe('rotating the sealing key of the dispatcher (real Kafka, real Postgres, receivers on 127.0.0.1)', () => {
  const NEW = randomBytes(32).toString('hex');
  const h = new DispatcherHarness('key-rotation');
  let sealedBefore: TestReceiver, sealedAfter: TestReceiver, sealedElsewhere: TestReceiver;

  beforeAll(async () => {
    await h.setUp();
    [sealedBefore, sealedAfter, sealedElsewhere] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  });
  afterAll(async () => {
    await h.tearDown();
    await Promise.all([sealedBefore, sealedAfter, sealedElsewhere].map((r) => r?.close()));
  });

  it('signs with secrets sealed under the previous key and under the current one, a secret sealed under neither is a failed attempt that names the keys, and a resealed secret needs no previous key', async () => {
    // Sealed by the command service before the rotation (the old key), after it (the new one), and by a stranger.
    const old = await h.createEndpoint(sealedBefore.url);
    const current = endpointCreated(sealedAfter.url, {}, 'enabled', parseSealingKey(NEW));
    const stranger = endpointCreated(sealedElsewhere.url, {}, 'enabled', parseSealingKey(randomBytes(32).toString('hex')));
    await h.appendConfig(current.event);
    await h.appendConfig(stranger.event);
    await h.startDispatcher({ SECRETS_ENCRYPTION_KEY: NEW, SECRETS_ENCRYPTION_PREVIOUS_KEYS: DEV_SECRETS_ENCRYPTION_KEY });

    await h.publish('invoice.paid', { amount: 1 });
    for (const [receiver, endpoint] of [[sealedBefore, old], [sealedAfter, current]] as const) {
      const [req] = await receiver.waitForRequests(1);
      expect(new Webhook(endpoint.secret).verify(req.body, req.headers)).toMatchObject({ data: { amount: 1 } });
    }
    const refused = await waitFor(() => h.events('delivery.attempted.v1', stranger.endpointId)[0]);
    expect(refused.data).toMatchObject({ succeeded: false, error: { class: 'endpoint_unavailable', message: expect.stringMatching(/^cannot sign: .*none of SECRETS_ENCRYPTION_PREVIOUS_KEYS/) } });
    expect(sealedElsewhere.requests).toHaveLength(0);

    // Without the previous key, the endpoint whose secret the old key sealed cannot be signed for.
    await h.stopDispatcher();
    await h.startDispatcher({ SECRETS_ENCRYPTION_KEY: NEW });
    const second = await h.publish('invoice.paid', { amount: 2 });
    await sealedAfter.waitForRequests(2);
    const unsigned = await waitFor(() => h.events('delivery.attempted.v1', old.endpointId).find((e) => e.data.message_id === second));
    expect(unsigned.data).toMatchObject({ succeeded: false, error: { class: 'endpoint_unavailable' } });
    expect(sealedBefore.requests).toHaveLength(1);

    // Once its secret is sealed again under the new key (what POST /v1/sealing-key/reseal appends), it is signed for
    // again, with the same secret: the receiver changes nothing.
    const secretId = (old.event.data as { secrets: Array<{ secret_id: SecretId }> }).secrets[0].secret_id;
    await h.appendConfig({ type: 'endpoint.resealed.v1', data: { endpoint_id: old.endpointId, secrets: [{ secret_id: secretId, sealed: sealSecret(old.secret, parseSealingKey(NEW)) }] } });
    await waitFor(async () => {
      await h.publish('invoice.paid', { amount: 3 });
      await new Promise((r) => setTimeout(r, 200));
      return sealedBefore.requests.length > 1;
    }, 20_000, 'a request to the resealed endpoint');
    const resealed = sealedBefore.requests[1];
    expect(new Webhook(old.secret).verify(resealed.body, resealed.headers)).toMatchObject({ type: 'invoice.paid' });
  });
});
