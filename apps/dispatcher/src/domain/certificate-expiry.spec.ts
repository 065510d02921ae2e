import { EndpointId, TenantId } from '@hookline/contracts';
import { CertifiedEndpoint, certificateWarningsDue } from './certificate-expiry';

const now = new Date('2026-11-30T12:00:00.000Z');
const endpoint = (id: string, notAfter: string): CertifiedEndpoint => ({
  tenantId: 'tnt_1' as TenantId, endpointId: id as EndpointId,
  certificate: { cert_pem: 'PEM', key_sealed: 'enc:v1:k', fingerprint_sha256: `fp-${id}`, not_after: notAfter },
});

describe('client certificate expiry', () => {
  it('warns for certificates inside the warning period and for expired ones, with the whole days left', () => {
    const due = certificateWarningsDue([
      endpoint('far', '2027-01-30T12:00:00.000Z'),
      endpoint('edge', '2026-12-14T12:00:00.000Z'), // exactly 14 days: not yet
      endpoint('soon', '2026-12-14T11:59:59.000Z'),
      endpoint('today', '2026-11-30T18:00:00.000Z'),
      endpoint('gone', '2026-11-28T12:00:00.000Z'),
    ], now, 14);
    expect(due.map((d) => [d.endpointId, d.stage, d.daysLeft])).toEqual([['soon', 'expiring', 13], ['today', 'expiring', 0], ['gone', 'expired', -2]]);
  });

  it('skips a certificate whose expiry cannot be read', () => {
    expect(certificateWarningsDue([endpoint('odd', 'not a date')], now, 14)).toEqual([]);
  });
});
