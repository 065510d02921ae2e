/** The policy's answer for one address or host name: allowed, or refused with a reason a person can act on. */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

export const ALLOWED: AddressVerdict = Object.freeze({ allowed: true });

export function refused(reason: string): AddressVerdict {
  return { allowed: false, reason };
}
