import { SourceEvent, SourceId, SourceSettingsV1 } from '@hookline/contracts';
import { givenWhenThen } from '../shared/spec-helper';
import { decideSource, evolveSource, initialSourceState } from './source.decider';

const given = givenWhenThen({ decide: decideSource, evolve: evolveSource, initialState: initialSourceState });

const source_id = 'src_01J0000000000000000000000A' as SourceId;
const settings: SourceSettingsV1 = {
  name: 'GitHub',
  description: 'repository events',
  verification: { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secret_sealed: 'enc:v1:a' },
  event_type: { from: 'header', header: 'x-github-event' },
  idempotency: { from: 'header', header: 'x-github-delivery' },
  payload_field: null,
  channels: ['github'],
  enabled: true,
};
const created: SourceEvent = { type: 'source.created.v1', data: { ...settings, source_id } };
const deleted: SourceEvent = { type: 'source.deleted.v1', data: { source_id } };
const create = (s: SourceSettingsV1 = settings) => ({ type: 'CreateSource', data: { source_id, settings: s } }) as const;

describe('source decider', () => {
  describe('CreateSource', () => {
    it('creates a source with its settings', () => {
      const { state } = given([]).when(create()).then([created]);
      expect(state).toEqual({ status: 'active', sourceId: source_id, settings, version: 1 });
    });

    it('refuses a second create of the same id', () => {
      given([created]).when(create()).then('already_exists');
    });

    it('refuses an empty or long name, naming the field', () => {
      given([]).when(create({ ...settings, name: '  ' })).then({ code: 'invalid', details: ['/name: 1 to 64 characters, not only spaces'] });
      given([]).when(create({ ...settings, name: 'x'.repeat(65) })).then('invalid');
    });

    it('refuses header names that are not lower-case tokens', () => {
      given([]).when(create({ ...settings, event_type: { from: 'header', header: 'X-GitHub-Event' } }))
        .then({ code: 'invalid', details: ['/event_type/header: a lower-case header name'] });
      given([]).when(create({ ...settings, idempotency: { from: 'header', header: 'bad header' } }))
        .then({ code: 'invalid', details: ['/idempotency/header: a lower-case header name'] });
      given([]).when(create({ ...settings, verification: { type: 'api_key', header: 'x key', key_sealed: 'enc:v1:k' } }))
        .then({ code: 'invalid', details: ['/verification/header: a lower-case header name'] });
    });

    it('refuses dot paths with an empty segment', () => {
      given([]).when(create({ ...settings, event_type: { from: 'field', path: 'data..type' } }))
        .then({ code: 'invalid', details: ['/event_type/path: a dot path of the JSON body, e.g. type or data.kind'] });
      given([]).when(create({ ...settings, payload_field: '' })).then({ code: 'invalid', details: ['/payload_field: a dot path of the JSON body, e.g. data.object'] });
      given([]).when(create({ ...settings, idempotency: { from: 'field', path: '.id' } })).then('invalid');
      given([]).when(create({ ...settings, payload_field: 'data.object', idempotency: { from: 'field', path: 'id' } }))
        .then([{ type: 'source.created.v1', data: { ...settings, payload_field: 'data.object', idempotency: { from: 'field', path: 'id' }, source_id } }]);
    });

    it('holds timestamp tolerances to 1–3600 whole seconds', () => {
      const stripe = (tolerance_seconds: number) => create({ ...settings, verification: { type: 'stripe', secret_sealed: 'enc:v1:s', tolerance_seconds } });
      for (const bad of [0, 3601, 1.5]) {
        given([]).when(stripe(bad)).then({ code: 'invalid', details: ['/verification/tolerance_seconds: whole seconds from 1 to 3600'] });
      }
      given([]).when(stripe(3600)).then([{ type: 'source.created.v1', data: { ...settings, verification: { type: 'stripe', secret_sealed: 'enc:v1:s', tolerance_seconds: 3600 }, source_id } }]);
    });

    it('holds channels to the rules of a message\'s channels', () => {
      given([]).when(create({ ...settings, channels: ['ok', 'not ok'] })).then({ code: 'invalid', details: ['/channels/1: channels are 1 to 128 letters, digits, _ . : -'] });
      given([]).when(create({ ...settings, channels: Array.from({ length: 11 }, (_, i) => `c${i}`) })).then({ code: 'invalid', details: ['/channels: at most 10 channels'] });
    });

    it('holds a rate limit to whole requests from 1 to 100000, per second and at once', () => {
      given([]).when(create({ ...settings, rate_limit: { per_second: 2, burst: 5 } }))
        .then([{ type: 'source.created.v1', data: { ...settings, rate_limit: { per_second: 2, burst: 5 }, source_id } }]);
      given([]).when(create({ ...settings, rate_limit: { per_second: 0, burst: 1.5 } })).then({ code: 'invalid', details: [
        '/rate_limit/per_second: a whole number of requests from 1 to 100000', '/rate_limit/burst: a whole number of requests from 1 to 100000',
      ] });
      given([]).when(create({ ...settings, rate_limit: { per_second: 100_001, burst: 1 } })).then('invalid');
    });

    it('refuses a basic-auth username with a colon, and reports every problem at once', () => {
      given([]).when(create({ ...settings, name: '', verification: { type: 'basic_auth', username: 'a:b', password_sealed: 'enc:v1:p' } }))
        .then({ code: 'invalid', details: ['/name: 1 to 64 characters, not only spaces', '/verification/username: 1 to 256 characters, no colon'] });
    });
  });

  describe('Slack and Zoom: v0 signatures and handshakes', () => {
    const zoom: SourceSettingsV1['verification'] = {
      type: 'v0_hmac', header: 'x-zm-signature', timestamp_header: 'x-zm-request-timestamp', secret_sealed: 'enc:v1:z', tolerance_seconds: 300,
    };

    it('creates a Zoom source answering Zoom\'s handshake, and a Meta one answering Meta\'s', () => {
      given([]).when(create({ ...settings, verification: zoom, handshake: { type: 'zoom' } }))
        .then([{ type: 'source.created.v1', data: { ...settings, verification: zoom, handshake: { type: 'zoom' }, source_id } }]);
      given([]).when(create({ ...settings, handshake: { type: 'meta', verify_token_sealed: 'enc:v1:vt' } }))
        .then([{ type: 'source.created.v1', data: { ...settings, handshake: { type: 'meta', verify_token_sealed: 'enc:v1:vt' }, source_id } }]);
    });

    it('refuses Zoom\'s handshake without a v0 verification, whose secret its answer is made with, also by a later update', () => {
      const problem = ['/handshake: the Zoom handshake is answered with the source\'s Zoom secret token; set verification to zoom'];
      given([]).when(create({ ...settings, handshake: { type: 'zoom' } })).then({ code: 'invalid', details: problem });
      const zoomCreated: SourceEvent = { type: 'source.created.v1', data: { ...settings, verification: zoom, handshake: { type: 'zoom' }, source_id } };
      given([zoomCreated]).when({ type: 'UpdateSource', data: { verification: { type: 'none' } } }).then({ code: 'invalid', details: problem });
      given([zoomCreated]).when({ type: 'UpdateSource', data: { verification: { type: 'none' }, handshake: null } })
        .then([{ type: 'source.updated.v1', data: { verification: { type: 'none' }, handshake: null, source_id } }]);
    });

    it('takes removing the handshake or the rate limit of a source that never had one as a no-op', () => {
      given([created]).when({ type: 'UpdateSource', data: { handshake: null } }).then([]);
      given([created]).when({ type: 'UpdateSource', data: { rate_limit: null } }).then([]);
    });

    it('holds the v0 headers to lower-case names and the tolerance to 1–3600 seconds', () => {
      given([]).when(create({ ...settings, verification: { ...zoom, timestamp_header: 'X-Zm-Request-Timestamp', tolerance_seconds: 0 } }))
        .then({ code: 'invalid', details: ['/verification/timestamp_header: a lower-case header name', '/verification/tolerance_seconds: whole seconds from 1 to 3600'] });
    });
  });

  describe('UpdateSource', () => {
    it('records only the fields given', () => {
      const { state } = given([created]).when({ type: 'UpdateSource', data: { enabled: false, description: undefined } })
        .then([{ type: 'source.updated.v1', data: { enabled: false, source_id } }]);
      expect(state.settings).toEqual({ ...settings, enabled: false });
      expect(state.version).toBe(2);
    });

    it('is a no-op without changes, and checks the settings as they will be', () => {
      given([created]).when({ type: 'UpdateSource', data: {} }).then([]);
      given([created]).when({ type: 'UpdateSource', data: { enabled: true, channels: ['github'] } }).then([]);
      given([created]).when({ type: 'UpdateSource', data: { payload_field: 'a..b' } }).then('invalid');
    });

    it('refuses an update of a deleted or unknown source', () => {
      given([created, deleted]).when({ type: 'UpdateSource', data: { enabled: false } }).then('not_found');
      given([]).when({ type: 'UpdateSource', data: { enabled: false } }).then('not_found');
    });
  });

  describe('DeleteSource', () => {
    it('deletes once', () => {
      const { state } = given([created]).when({ type: 'DeleteSource' }).then([deleted]);
      expect(state.status).toBe('deleted');
      given([created, deleted]).when({ type: 'DeleteSource' }).then('not_found');
    });
  });

  describe('ResealSource', () => {
    const resealed = { ...settings.verification, secret_sealed: 'enc:v1:b' } as SourceSettingsV1['verification'];

    it('writes the re-sealed verification as source.updated.v1', () => {
      const { state } = given([created]).when({ type: 'ResealSource', data: { read: settings.verification, verification: resealed } })
        .then([{ type: 'source.updated.v1', data: { source_id, verification: resealed } }]);
      expect(state.settings.verification).toEqual(resealed);
    });

    it('refuses when the verification changed since it was read, or the type would change', () => {
      const changed: SourceEvent = { type: 'source.updated.v1', data: { source_id, verification: { type: 'none' } } };
      given([created, changed]).when({ type: 'ResealSource', data: { read: settings.verification, verification: resealed } }).then('precondition_failed');
      given([created]).when({ type: 'ResealSource', data: { read: settings.verification, verification: { type: 'none' } } }).then('invalid');
    });

    describe('with Meta\'s verify token', () => {
      const meta = { type: 'meta', verify_token_sealed: 'enc:v1:old-token' } as const;
      const withMeta: SourceEvent = { type: 'source.created.v1', data: { ...settings, handshake: meta, source_id } };
      const resealedMeta = { type: 'meta', verify_token_sealed: 'enc:v1:new-token' } as const;

      it('writes the re-sealed token alone when the verification\'s secret needs nothing', () => {
        const { state } = given([withMeta])
          .when({ type: 'ResealSource', data: { read: settings.verification, verification: settings.verification, read_handshake: meta, handshake: resealedMeta } })
          .then([{ type: 'source.updated.v1', data: { source_id, handshake: resealedMeta } }]);
        expect(state.settings.handshake).toEqual(resealedMeta);
      });

      it('refuses when the handshake changed since it was read, or the handshake\'s kind would change', () => {
        const changed: SourceEvent = { type: 'source.updated.v1', data: { source_id, handshake: { type: 'meta', verify_token_sealed: 'enc:v1:set-since' } } };
        given([withMeta, changed])
          .when({ type: 'ResealSource', data: { read: settings.verification, verification: resealed, read_handshake: meta, handshake: resealedMeta } })
          .then('precondition_failed');
        given([withMeta])
          .when({ type: 'ResealSource', data: { read: settings.verification, verification: settings.verification, read_handshake: meta, handshake: { type: 'slack' } } })
          .then('invalid');
      });
    });
  });
});
