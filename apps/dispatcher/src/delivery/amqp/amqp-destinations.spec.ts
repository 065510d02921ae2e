import { EndpointId } from '@hookline/contracts';
import { AmqpDestination, parseAmqpUrl } from '@hookline/net-guard';
import { ClientCertificateUnavailableError } from '../endpoint-agents';
import { AmqpPasswordUnavailableError, AmqpUnroutableError } from './amqp-attempt-error';
import { AmqpDestinations } from './amqp-destinations';

const endpointId = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ1' as EndpointId;
const message = { routingKey: 'invoice.paid', content: Buffer.from('{}'), properties: {} };
const destination = (parseAmqpUrl('amqps://rabbit.example.com/orders?exchange=webhooks') as { destination: AmqpDestination }).destination;

describe('AMQP destinations', () => {
  const destinations = (publish: () => Promise<void>, unavailable?: string) =>
    new AmqpDestinations({ connections: { publish: publish as never }, timeoutMs: 1000, ...(unavailable ? { unavailable } : {}) });

  it('tells an AMQP URL from others, parsing each URL once', () => {
    const amqp = destinations(async () => undefined);
    expect(amqp.destinationOf('https://example.com/hooks')).toBeUndefined();
    expect(amqp.destinationOf('kafka+tls://b.example.com:9093/orders')).toBeUndefined();
    const parsed = amqp.destinationOf('amqps://rabbit.example.com?exchange=x');
    expect(parsed).toMatchObject({ ok: true, destination: { tls: true, exchange: 'x' } });
    expect(amqp.destinationOf('amqps://rabbit.example.com?exchange=x')).toBe(parsed);
    expect(amqp.destinationOf('amqps://u:p@rabbit.example.com?exchange=x')).toMatchObject({ ok: false });
  });

  it('answers ok, or the classified failure, and never throws', async () => {
    expect(await destinations(async () => undefined).publish(endpointId, destination, {}, message)).toEqual({
      ok: true, published: { exchange: 'webhooks', routing_key: 'invoice.paid' },
    });
    const returned = new AmqpUnroutableError('webhooks', 'invoice.paid', 'NO_ROUTE');
    expect(await destinations(async () => { throw returned; }).publish(endpointId, destination, {}, message)).toEqual({
      ok: false, error: { class: 'unroutable', message: expect.stringMatching(/^AMQP exchange webhooks \(vhost orders\) at rabbit\.example\.com:5671: the broker routed the message to no queue/) },
    });
    const noKey = new ClientCertificateUnavailableError("cannot open the client certificate's key: wrong key");
    expect(await destinations(async () => { throw noKey; }).publish(endpointId, destination, {}, message)).toEqual({
      ok: false, error: { class: 'endpoint_unavailable', message: "cannot open the client certificate's key: wrong key" },
    });
    const noPassword = new AmqpPasswordUnavailableError('cannot open the AMQP password: wrong key');
    expect(await destinations(async () => { throw noPassword; }).publish(endpointId, destination, {}, message)).toEqual({
      ok: false, error: { class: 'endpoint_unavailable', message: 'cannot open the AMQP password: wrong key' },
    });
  });

  it("says where the broker took the message: the URL's exchange and the routing key the message carried", async () => {
    const routed = { ...message, routingKey: 'billing-events' };
    expect(await destinations(async () => undefined).publish(endpointId, destination, {}, routed)).toEqual({
      ok: true, published: { exchange: 'webhooks', routing_key: 'billing-events' },
    });
  });

  it("passes the endpoint and its credentials on to its connection, with the attempt's deadline", async () => {
    const publish = jest.fn(async () => undefined);
    const login = { type: 'amqp_plain' as const, username: 'hookline', password_sealed: 'enc:v1:pw' };
    await destinations(publish).publish(endpointId, destination, { login }, message);
    expect(publish).toHaveBeenCalledWith(endpointId, destination, { login }, message, 1000);
  });

  it('fails every attempt, sending nothing, where this dispatcher cannot reach AMQP destinations (DELIVERY_PROXY_URL)', async () => {
    const publish = jest.fn(async () => undefined);
    const amqp = destinations(publish, 'AMQP destinations cannot be reached through DELIVERY_PROXY_URL (not supported yet)');
    expect(await amqp.publish(endpointId, destination, {}, message)).toEqual({
      ok: false, error: { class: 'endpoint_unavailable', message: 'AMQP destinations cannot be reached through DELIVERY_PROXY_URL (not supported yet)' },
    });
    expect(publish).not.toHaveBeenCalled();
  });
});
