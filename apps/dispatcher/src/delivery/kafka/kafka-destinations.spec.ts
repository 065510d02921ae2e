import { KafkaDestination, parseKafkaUrl } from '@hookline/net-guard';
import { KafkaJSConnectionError } from 'kafkajs';
import { ClientCertificateUnavailableError } from '../endpoint-agents';
import { KafkaSaslUnavailableError } from './kafka-attempt-error';
import { KafkaDestinations } from './kafka-destinations';

const record = { key: 'k', value: Buffer.from('{}'), headers: {} };
const written = { topicName: 'orders', partition: 1, errorCode: 0, baseOffset: '41' };
const parsed = parseKafkaUrl('kafka+tls://b.example.com:9093/orders');
const destination = (parsed as { destination: KafkaDestination }).destination;

describe('Kafka destinations', () => {
  const destinations = (send: () => Promise<unknown>, unavailable?: string) =>
    new KafkaDestinations({ producers: { send: send as never }, timeoutMs: 1000, ...(unavailable ? { unavailable } : {}) });

  it('tells a Kafka URL from an http(s) one, parsing each URL once', () => {
    const kafka = destinations(async () => written);
    expect(kafka.destinationOf('https://example.com/hooks')).toBeUndefined();
    const parsed = kafka.destinationOf('kafka+tls://b.example.com:9093/orders');
    expect(parsed).toMatchObject({ ok: true, destination: { tls: true, topic: 'orders' } });
    expect(kafka.destinationOf('kafka+tls://b.example.com:9093/orders')).toBe(parsed);
    expect(kafka.destinationOf('kafka+tls://b.example.com/orders')).toMatchObject({ ok: false });
  });

  it('answers where the record went, or the classified failure, and never throws', async () => {
    expect(await destinations(async () => written).send(destination, {}, record)).toEqual({ ok: true, written: { topic: 'orders', partition: 1, offset: '41' } });
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', { broker: 'b.example.com:9093', code: 'ECONNREFUSED' });
    expect(await destinations(async () => { throw refused; }).send(destination, {}, record)).toEqual({
      ok: false, error: { class: 'connect', message: 'could not connect to Kafka broker b.example.com:9093: connect ECONNREFUSED (Kafka topic orders at b.example.com:9093)' },
    });
    const noKey = new ClientCertificateUnavailableError("cannot open the client certificate's key: wrong key");
    expect(await destinations(async () => { throw noKey; }).send(destination, {}, record)).toEqual({
      ok: false, error: { class: 'endpoint_unavailable', message: "cannot open the client certificate's key: wrong key" },
    });
    const noPassword = new KafkaSaslUnavailableError('cannot open the Kafka SASL password: wrong key');
    expect(await destinations(async () => { throw noPassword; }).send(destination, {}, record)).toEqual({
      ok: false, error: { class: 'endpoint_unavailable', message: 'cannot open the Kafka SASL password: wrong key' },
    });
  });

  it("passes the endpoint's credentials on to its producer", async () => {
    const send = jest.fn(async () => written);
    const sasl = { type: 'kafka_sasl' as const, mechanism: 'plain' as const, username: 'hookline', password_sealed: 'enc:v1:pw' };
    await destinations(send).send(destination, { sasl }, record);
    expect(send).toHaveBeenCalledWith(destination, { sasl }, record, 1000);
  });

  it('fails every attempt, sending nothing, where this dispatcher cannot reach Kafka destinations (DELIVERY_PROXY_URL)', async () => {
    const send = jest.fn(async () => written);
    const kafka = destinations(send, 'Kafka destinations cannot be reached through DELIVERY_PROXY_URL (not supported yet)');
    expect(await kafka.send(destination, {}, record)).toEqual({
      ok: false, error: { class: 'endpoint_unavailable', message: 'Kafka destinations cannot be reached through DELIVERY_PROXY_URL (not supported yet)' },
    });
    expect(send).not.toHaveBeenCalled();
  });
});
