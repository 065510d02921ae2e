import path from 'node:path';
import { ownerOf } from './cpu-profile';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('ownerOf', () => {
  it('names the npm package of a frame, folding busy scopes', () => {
    expect(ownerOf('file:///x/node_modules/kafkajs/src/network/connection.js', 'send')).toBe('kafkajs');
    expect(ownerOf('/x/node_modules/@opentelemetry/sdk-trace-base/build/src/Span.js', 'end')).toBe('@opentelemetry/*');
    expect(ownerOf('/x/node_modules/@grpc/grpc-js/build/src/server.js', 'f')).toBe('@grpc/grpc-js');
  });

  it('names our own files by their path in the repository', () => {
    expect(ownerOf(`file://${ROOT}/apps/dispatcher/src/delivery/attempt-executor.ts`, 'send')).toBe('apps/dispatcher/src/delivery/attempt-executor.ts');
  });

  it('groups node internals, native code and V8 pseudo-frames', () => {
    expect(ownerOf('node:internal/streams/writable', 'write')).toBe('node internals');
    expect(ownerOf('', 'writev')).toBe('(native)');
    expect(ownerOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});
