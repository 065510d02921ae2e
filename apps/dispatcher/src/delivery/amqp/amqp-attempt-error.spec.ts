import { DnsLookupError, SsrfRefusedError } from '@hookline/net-guard';
import { AmqpConnectionLimitError, AmqpDeadlineError, AmqpNackError, AmqpUnroutableError, classifyAmqpError } from './amqp-attempt-error';

const where = 'AMQP exchange orders (vhost /) at rabbit.example.com:5671';
const socketError = (code: string, message: string) => Object.assign(new Error(message), { code });
// amqplib's errors, as it words them (seen from RabbitMQ 3.10).
const amqplibError = (message: string, code?: number) => Object.assign(new Error(message), code ? { code } : {});

describe('classifyAmqpError', () => {
  it('calls a missed deadline timeout, a returned message unroutable, a nack broker_refused', () => {
    expect(classifyAmqpError(new AmqpDeadlineError(2000), where)).toEqual({ class: 'timeout', message: `${where}: no publisher confirm within 2000 ms` });
    expect(classifyAmqpError(new AmqpUnroutableError('orders', 'invoice.paid', 'NO_ROUTE'), where)).toEqual({
      class: 'unroutable', message: `${where}: the broker routed the message to no queue (NO_ROUTE): bind a queue to exchange orders for routing key invoice.paid`,
    });
    expect(classifyAmqpError(new AmqpNackError(), where)).toEqual({
      class: 'broker_refused', message: `${where}: the broker did not take the message (negative publisher confirm, basic.nack)`,
    });
    expect(classifyAmqpError(new AmqpConnectionLimitError(500), where).class).toBe('connect');
  });

  it("reads the socket's code: ssrf_refused, dns, connect, tls", () => {
    expect(classifyAmqpError(new SsrfRefusedError('10.0.0.1', undefined, 'private address'), where)).toEqual({
      class: 'ssrf_refused', message: `refused to connect to 10.0.0.1: private address; webhook endpoints must be publicly reachable (${where})`,
    });
    expect(classifyAmqpError(new DnsLookupError('rabbit.example.com', 'ENOTFOUND'), where).class).toBe('dns');
    expect(classifyAmqpError(socketError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5671'), where)).toEqual({
      class: 'connect', message: `could not connect to the broker: connect ECONNREFUSED 10.0.0.5:5671 (${where})`,
    });
    expect(classifyAmqpError(socketError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), where)).toEqual({
      class: 'tls', message: `TLS with the broker failed: self-signed certificate (${where})`,
    });
    expect(classifyAmqpError(amqplibError('connect ETIMEDOUT'), where)).toEqual({
      class: 'connect', message: `could not connect to the broker: no connection within the connect timeout (${where})`,
    });
  });

  it('calls a refused login, a refused vhost, a missing exchange and refused access broker_refused, naming the reply', () => {
    const login = amqplibError('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile."');
    expect(classifyAmqpError(login, where)).toEqual({
      class: 'broker_refused',
      message: `${where}: login refused: 403 ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.`,
    });
    expect(classifyAmqpError(amqplibError('Expected ConnectionOpenOk; got <ConnectionClose channel:0>'), where)).toEqual({
      class: 'broker_refused', message: `${where}: the broker refused to open the virtual host (it does not exist, or the user may not use it)`,
    });
    const missing = amqplibError(`Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange 'orders' in vhost '/'"`, 404);
    expect(classifyAmqpError(missing, where)).toEqual({ class: 'broker_refused', message: `${where}: the broker refused the message: 404 NOT_FOUND - no exchange 'orders' in vhost '/'` });
    const denied = amqplibError(`Channel closed by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - write access to exchange 'orders' in vhost '/' refused for user 'u'"`, 403);
    expect(classifyAmqpError(denied, where).class).toBe('broker_refused');
  });

  it('calls anything else network', () => {
    expect(classifyAmqpError(amqplibError('Unexpected close'), where)).toEqual({ class: 'network', message: `${where}: Unexpected close` });
  });
});
