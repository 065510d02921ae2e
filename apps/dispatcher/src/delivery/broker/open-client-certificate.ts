import { EndpointClientCertificateV1 } from '@hookline/contracts';
import { ClientCertificateUnavailableError } from '../endpoint-agents';

/**
 * The certificate and opened key a broker client (kafkajs, amqplib) presents in its TLS handshake; undefined without a
 * certificate. Throws ClientCertificateUnavailableError when the key was sealed under a key no longer configured:
 * nothing is sent then.
 */
export function openClientCertificate(
  certificate: EndpointClientCertificateV1 | null | undefined,
  open: (sealed: string) => string,
): { cert: string; key: string } | undefined {
  if (!certificate) return undefined;
  try {
    return { cert: certificate.cert_pem, key: open(certificate.key_sealed) };
  } catch (err) {
    throw new ClientCertificateUnavailableError(`cannot open the client certificate's key: ${(err as Error).message}`);
  }
}
