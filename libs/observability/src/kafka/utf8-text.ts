/** A Kafka key or header value as text: kafkajs hands them over as Buffers, producers may set strings. */
export function utf8Text(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}
