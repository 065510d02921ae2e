/** Lower-case, without IPv6 brackets and without the trailing dot(s) of a fully qualified name. */
export function normaliseHostname(host: string): string {
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return unbracketed.toLowerCase().replace(/\.+$/, '');
}

// RFC 6761 reserves "localhost" and every name under it for the loopback interface; the others are the loopback
// aliases common /etc/hosts files ship with, so a resolver may answer them without DNS.
const LOCALHOST_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** True for names that always mean this machine, whatever DNS says. Expects a normalised name. */
export function isLocalhostName(name: string): boolean {
  return LOCALHOST_NAMES.has(name) || name.endsWith('.localhost');
}

// Metadata services are also reachable by name (GCP answers on metadata.google.internal even when the IP is
// filtered by a proxy), so the names are refused before any lookup.
const METADATA_HOST_NAMES: ReadonlyMap<string, string> = new Map([
  ['metadata.google.internal', 'GCP metadata host name'],
  ['metadata.goog', 'GCP metadata host name'],
  ['metadata', 'cloud metadata host name'],
  ['instance-data', 'AWS metadata host name'],
  ['instance-data.ec2.internal', 'AWS metadata host name'],
]);

/** Why a (normalised) name is a cloud metadata service, or undefined. */
export function metadataHostReason(name: string): string | undefined {
  return METADATA_HOST_NAMES.get(name);
}
