import { EndpointClientCertificateV1, EndpointId, TenantId } from '@hookline/contracts';

export interface CertifiedEndpoint {
  tenantId: TenantId;
  endpointId: EndpointId;
  certificate: EndpointClientCertificateV1;
}

export interface CertificateWarning extends CertifiedEndpoint {
  stage: 'expiring' | 'expired';
  daysLeft: number;
}

const DAY_MS = 86_400_000;

/**
 * Which client certificates deserve a warning now: `expired` once past `not_after`, `expiring` once less than
 * `warnDays` remain. Whether one was already raised is the caller's to remember (per endpoint, fingerprint and stage).
 */
export function certificateWarningsDue(endpoints: Iterable<CertifiedEndpoint>, now: Date, warnDays: number): CertificateWarning[] {
  const due: CertificateWarning[] = [];
  for (const e of endpoints) {
    const left = Date.parse(e.certificate.not_after) - now.getTime();
    if (Number.isNaN(left)) continue;
    // Whole days towards zero: 0 in the last day before and the first day after expiry (`|| 0` turns -0 into 0).
    const daysLeft = Math.trunc(left / DAY_MS) || 0;
    if (left <= 0) due.push({ ...e, stage: 'expired', daysLeft });
    else if (left < warnDays * DAY_MS) due.push({ ...e, stage: 'expiring', daysLeft });
  }
  return due;
}
