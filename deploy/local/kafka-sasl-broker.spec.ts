import { saslListenerProperties, scramFormatArgs } from './kafka-sasl-broker';

const users = [{ username: 'hookline', password: 'hookline-s3cret' }, { username: 'reader', password: 'reader-s3cret' }];

describe('the SASL test broker', () => {
  it('adds a SASL_PLAINTEXT listener next to the PLAINTEXT one, with PLAIN users and both SCRAM mechanisms', () => {
    expect(saslListenerProperties({ port: 20000, saslPort: 20001, controllerPort: 20002, users })).toEqual({
      listeners: 'PLAINTEXT://127.0.0.1:20000,SASL_PLAINTEXT://127.0.0.1:20001,CONTROLLER://127.0.0.1:20002',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:20000,SASL_PLAINTEXT://127.0.0.1:20001',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required user_hookline="hookline-s3cret" user_reader="reader-s3cret";',
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    });
  });

  it("formats the storage with every user's SCRAM credentials", () => {
    expect(scramFormatArgs(users.slice(0, 1))).toEqual([
      '--add-scram', 'SCRAM-SHA-256=[name=hookline,password=hookline-s3cret]', '--add-scram', 'SCRAM-SHA-512=[name=hookline,password=hookline-s3cret]',
    ]);
  });
});
