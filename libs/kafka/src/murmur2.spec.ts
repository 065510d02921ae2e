/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' murmur2 is not public API; it is the reference here */
import { randomBytes } from 'node:crypto';
import { Partitioners, PartitionMetadata } from 'kafkajs';
import { keyPartition, murmur2 } from './murmur2';

const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: string | Buffer) => number;

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1], offlineReplicas: [] }));

/** Deterministic pseudo-random keys, so a failure names a key that fails again. */
function* keys(count: number): Generator<string> {
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const alphabet = ['a', 'Z', '0', '_', '-', ':', 'é', 'ß', '€', '中', '😀', '\ud800'];
  for (let i = 0; i < count; i++) {
    const length = next() % 120;
    let key = '';
    for (let j = 0; j < length; j++) key += next() % 4 === 0 ? alphabet[next() % alphabet.length] : String.fromCharCode(32 + (next() % 95));
    yield key;
  }
}

describe('murmur2 (Kafka partition hash)', () => {
  it('hashes every key as kafkajs does (ASCII, multi-byte UTF-8, lone surrogates, every length mod 4)', () => {
    for (const key of keys(5000)) expect([key, murmur2(Buffer.from(key))]).toEqual([key, kafkajsMurmur2(key)]);
  });

  it('hashes raw bytes as kafkajs does, high bytes included', () => {
    for (let length = 0; length < 300; length++) {
      const data = randomBytes(length);
      expect(murmur2(data)).toBe(kafkajsMurmur2(data));
    }
  });

  it('hashes only the first `length` bytes when given a length', () => {
    const data = Buffer.from('ep_01JD2X8Q3ZK4 and whatever follows in the buffer');
    expect(murmur2(data, 15)).toBe(kafkajsMurmur2('ep_01JD2X8Q3ZK4'));
  });
});

describe('keyPartition', () => {
  it('picks the partition kafkajs\' DefaultPartitioner picks, for short, long and non-ASCII keys', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const n of [1, 3, 6, 7]) {
      for (const key of [...keys(1000), 'x'.repeat(86), '€'.repeat(86), '😀'.repeat(200)]) {
        expect([key, n, keyPartition(key, n)]).toEqual([key, n, kafkajs({ topic: 't', partitionMetadata: metadata(n), message: { key, value: null } })]);
      }
    }
  });

  it('takes Buffer keys as their bytes', () => {
    expect(keyPartition(Buffer.from('tnt_01JD2X8Q3ZK4'), 6)).toBe(keyPartition('tnt_01JD2X8Q3ZK4', 6));
  });
});
