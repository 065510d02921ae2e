/**
 * Whether `url` is an AMQP 0-9-1 broker URL amqplib connects to: `amqp://` or `amqps://` (TLS), a host, optionally a
 * user, password, port and vhost (`/billing`, `/%2F` for `/`).
 */
export function isAmqpUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'amqp:' || parsed.protocol === 'amqps:') && parsed.hostname !== '' && parsed.hash === '';
}

/**
 * The URL to show in logs and errors: its password replaced by `***` (the user, host, port and vhost stay, to say which
 * broker it is). A URL that does not parse shows as `<invalid URL>`, since where its password is cannot be known.
 */
export function redactAmqpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}

/**
 * An error's message with the URL's password removed wherever it appears (as written, or percent-decoded): a client
 * library may quote the URL it was given in an error, and such a message goes to logs.
 */
export function redactedMessage(err: unknown, url: string): string {
  let message = err instanceof Error ? err.message : String(err);
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return message.split(url).join('<invalid URL>');
  }
  message = message.split(url).join(redactAmqpUrl(url));
  for (const secret of new Set([password, safeDecode(password)])) {
    if (secret.length > 0) message = message.split(secret).join('***');
  }
  return message;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
