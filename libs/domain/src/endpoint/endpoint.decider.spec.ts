import { EndpointEvent, EndpointId, EndpointSettingsV1, SealedSecretV1, SecretId } from '@hookline/contracts';
import { givenWhenThen } from '../shared/spec-helper';
import {
  DEFAULT_ROTATION_GRACE_MS,
  MAX_ACTIVE_SECRETS,
  MAX_CUSTOM_HEADERS,
  activeSecrets,
  decideEndpoint,
  evolveEndpoint,
  initialEndpointState,
  typesAwaitingApproval,
  typesDeclined,
  typesNotApproved,
} from './endpoint.decider';

const given = givenWhenThen({ decide: decideEndpoint, evolve: evolveEndpoint, initialState: initialEndpointState });

const endpoint_id = 'ep_01J0000000000000000000000A' as EndpointId;
const settings: EndpointSettingsV1 = {
  url: 'https://receiver.example.com/hooks',
  description: 'billing',
  event_types: ['invoice.paid'],
  channels: null,
  filter: null,
  headers: {},
  rate_limit_per_second: null,
  max_in_flight: null,
  retry_schedule_seconds: null,
  fifo: false,
  metadata: {},
};
const secret = (n: number, created_at = '2025-01-01T00:00:00.000Z'): SealedSecretV1 => ({
  secret_id: `sec_01J00000000000000000000${String(n).padStart(3, '0')}` as SecretId,
  kind: 'hmac',
  sealed: `enc:v1:${n}`,
  public_key: null,
  created_at,
  expires_at: null,
});

const created = (status: 'enabled' | 'disabled' | 'pending_approval' = 'enabled'): EndpointEvent => ({
  type: 'endpoint.created.v1',
  data: { ...settings, endpoint_id, status, secrets: [secret(1)] },
});
const deleted: EndpointEvent = { type: 'endpoint.deleted.v1', data: { endpoint_id } };
const disabled: EndpointEvent = { type: 'endpoint.disabled.v1', data: { endpoint_id, reason: 'manual', detail: 'maintenance' } };
const approved: EndpointEvent = { type: 'endpoint.approved.v1', data: { endpoint_id } };
const rejected: EndpointEvent = { type: 'endpoint.rejected.v1', data: { endpoint_id, reason: 'not a partner' } };
const rotated = (n: number, at: string, graceMs = DEFAULT_ROTATION_GRACE_MS): EndpointEvent => ({
  type: 'endpoint.secret_rotated.v1',
  data: { endpoint_id, secret: secret(n, at), previous_secrets_expire_at: new Date(Date.parse(at) + graceMs).toISOString() },
});

describe('endpoint decider', () => {
  describe('CreateEndpoint', () => {
    const create = (disabled: boolean, needsApproval: boolean) =>
      ({ type: 'CreateEndpoint', data: { endpoint_id, settings, secret: secret(1), disabled }, needsApproval }) as const;

    it('creates an enabled endpoint with its first secret', () => {
      const { state } = given([]).when(create(false, false)).then([created('enabled')]);
      expect(state).toMatchObject({ status: 'active', endpointId: endpoint_id, deliveryStatus: 'enabled', settings, secrets: [secret(1)], version: 1 });
    });

    it('creates a disabled endpoint when asked', () => {
      given([]).when(create(true, false)).then([created('disabled')]);
    });

    it('waits for approval when a subscribed event type requires it, even if created disabled', () => {
      given([]).when(create(false, true)).then([created('pending_approval')]);
      given([]).when(create(true, true)).then([created('pending_approval')]);
    });

    it.each<[string, EndpointEvent[]]>([
      ['active', [created()]],
      ['deleted', [created(), deleted]],
    ])('refuses an id already used by an %s endpoint', (_, history) => {
      given(history).when(create(false, false)).then('already_exists');
    });
  });

  describe('given an endpoint that does not exist or was deleted', () => {
    it.each<[string, EndpointEvent[]]>([
      ['never created', []],
      ['deleted', [created(), deleted]],
    ])('refuses every other command when it was %s', (_, history) => {
      given(history).when({ type: 'UpdateEndpoint', data: { description: 'x' }, needsApproval: false }).then('not_found');
      given(history).when({ type: 'DeleteEndpoint' }).then('not_found');
      given(history).when({ type: 'EnableEndpoint' }).then('not_found');
      given(history).when({ type: 'DisableEndpoint', data: { reason: 'manual', detail: '' } }).then('not_found');
      given(history).when({ type: 'ApproveEndpoint', gatedTypes: [] }).then('not_found');
      given(history).when({ type: 'RejectEndpoint', data: { reason: 'no' } }).then('not_found');
      given(history)
        .when({ type: 'RotateEndpointSecret', data: { secret: secret(2), now: new Date('2025-01-02T00:00:00Z'), graceMs: 0 } })
        .then('not_found');
    });
  });

  describe('UpdateEndpoint', () => {
    it('records only the fields given, leaving the rest', () => {
      const { state } = given([created()])
        .when({ type: 'UpdateEndpoint', data: { url: 'https://new.example.com/hooks', description: undefined }, needsApproval: false })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, url: 'https://new.example.com/hooks' } }]);
      expect(state.settings).toEqual({ ...settings, url: 'https://new.example.com/hooks' });
      expect(state.deliveryStatus).toBe('enabled');
    });

    it('can clear a nullable setting', () => {
      const { state } = given([created()])
        .when({ type: 'UpdateEndpoint', data: { event_types: null }, needsApproval: false })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, event_types: null, approved_event_types: [] } }]);
      expect(state.settings.event_types).toBeNull();
    });

    it('is a no-op when nothing is given', () => {
      given([created()]).when({ type: 'UpdateEndpoint', data: {}, needsApproval: false }).then([]);
    });

    it('sends an enabled endpoint back to approval when the update subscribes it to a type that requires it', () => {
      const { state } = given([created()])
        .when({ type: 'UpdateEndpoint', data: { event_types: ['invoice.paid', 'payout.sent'] }, needsApproval: true })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, event_types: ['invoice.paid', 'payout.sent'], status: 'pending_approval' } }]);
      expect(state.deliveryStatus).toBe('pending_approval');
    });

    it('sends a disabled endpoint to approval too, so enabling it later cannot skip the approval', () => {
      const { state } = given([created(), disabled])
        .when({ type: 'UpdateEndpoint', data: { event_types: ['payout.sent'] }, needsApproval: true })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, event_types: ['payout.sent'], status: 'pending_approval' } }]);
      expect(state.deliveryStatus).toBe('pending_approval');
    });

    it('leaves a pending endpoint pending', () => {
      given([created('pending_approval')])
        .when({ type: 'UpdateEndpoint', data: { description: 'x' }, needsApproval: true })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, description: 'x' } }]);
    });
  });

  describe('DeleteEndpoint', () => {
    it.each(['enabled', 'disabled', 'pending_approval'] as const)('deletes an %s endpoint', (status) => {
      const { state } = given([created(status)]).when({ type: 'DeleteEndpoint' }).then([deleted]);
      expect(state.status).toBe('deleted');
    });
  });

  describe('approval', () => {
    it('approving a pending endpoint enables it', () => {
      const { state } = given([created('pending_approval')]).when({ type: 'ApproveEndpoint', gatedTypes: [] }).then([approved]);
      expect(state).toMatchObject({ deliveryStatus: 'enabled', disabledReason: null });
    });

    it('rejecting a pending endpoint disables it with reason rejected', () => {
      const { state } = given([created('pending_approval')]).when({ type: 'RejectEndpoint', data: { reason: 'not a partner' } }).then([rejected]);
      expect(state).toMatchObject({ deliveryStatus: 'disabled', disabledReason: 'rejected' });
    });

    it.each<[string, EndpointEvent[]]>([
      ['enabled', [created()]],
      ['disabled', [created(), disabled]],
      ['already approved', [created('pending_approval'), approved]],
      ['already rejected', [created('pending_approval'), rejected]],
    ])('refuses to approve or reject an endpoint that is %s', (_, history) => {
      given(history).when({ type: 'ApproveEndpoint', gatedTypes: [] }).then('precondition_failed');
      given(history).when({ type: 'RejectEndpoint', data: { reason: 'no' } }).then('precondition_failed');
    });

    it('refuses to enable a pending endpoint, pointing at approval instead', () => {
      const { decision } = given([created('pending_approval')]).when({ type: 'EnableEndpoint' }).then('precondition_failed');
      expect(!decision.ok && decision.error.message).toMatch(/approv/);
    });

    it('refuses to disable a pending endpoint, which would let a later enable skip the approval', () => {
      given([created('pending_approval')]).when({ type: 'DisableEndpoint', data: { reason: 'manual', detail: '' } }).then('precondition_failed');
    });
  });

  describe('EnableEndpoint and DisableEndpoint', () => {
    it('disables an enabled endpoint with a reason', () => {
      const { state } = given([created()]).when({ type: 'DisableEndpoint', data: { reason: 'manual', detail: 'maintenance' } }).then([disabled]);
      expect(state).toMatchObject({ deliveryStatus: 'disabled', disabledReason: 'manual' });
    });

    it('disabling is idempotent, keeping the first reason', () => {
      const { state } = given([created(), disabled]).when({ type: 'DisableEndpoint', data: { reason: 'failing', detail: '5xx for 5 days' } }).then([]);
      expect(state.disabledReason).toBe('manual');
    });

    it('enables a disabled endpoint and clears the reason', () => {
      const { state } = given([created(), disabled])
        .when({ type: 'EnableEndpoint' })
        .then([{ type: 'endpoint.enabled.v1', data: { endpoint_id } }]);
      expect(state).toMatchObject({ deliveryStatus: 'enabled', disabledReason: null });
    });

    it('enabling is idempotent', () => {
      given([created()]).when({ type: 'EnableEndpoint' }).then([]);
    });
  });

  describe('RotateEndpointSecret', () => {
    const now = new Date('2025-02-01T00:00:00.000Z');

    it('adds the new secret and gives the previous one a grace period', () => {
      const { state } = given([created()])
        .when({ type: 'RotateEndpointSecret', data: { secret: secret(2, now.toISOString()), now, graceMs: DEFAULT_ROTATION_GRACE_MS } })
        .then([rotated(2, now.toISOString())]);
      expect(state.secrets).toEqual([{ ...secret(1), expires_at: '2025-02-02T00:00:00.000Z' }, secret(2, now.toISOString())]);
    });

    it('activeSecrets honours expires_at at the given time', () => {
      const { state } = given([created(), rotated(2, now.toISOString())]);
      const ids = (at: string) => activeSecrets(state, new Date(at)).map((s) => s.sealed);
      expect(ids('2025-02-01T12:00:00.000Z')).toEqual(['enc:v1:1', 'enc:v1:2']);
      expect(ids('2025-02-01T23:59:59.999Z')).toEqual(['enc:v1:1', 'enc:v1:2']);
      expect(ids('2025-02-02T00:00:00.000Z')).toEqual(['enc:v1:2']);
    });

    it('with no grace, the previous secret stops signing at once', () => {
      const { state } = given([created()])
        .when({ type: 'RotateEndpointSecret', data: { secret: secret(2, now.toISOString()), now, graceMs: 0 } })
        .then([rotated(2, now.toISOString(), 0)]);
      expect(activeSecrets(state, now).map((s) => s.sealed)).toEqual(['enc:v1:2']);
    });

    it('shortens, never extends, the grace of secrets rotated out earlier', () => {
      const later = '2025-02-01T06:00:00.000Z';
      const { state } = given([created(), rotated(2, now.toISOString())])
        .when({ type: 'RotateEndpointSecret', data: { secret: secret(3, later), now: new Date(later), graceMs: 60_000 } })
        .then([rotated(3, later, 60_000)]);
      expect(state.secrets.map((s) => s.expires_at)).toEqual(['2025-02-01T06:01:00.000Z', '2025-02-01T06:01:00.000Z', null]);

      const { state: afterExpiry } = given([created(), rotated(2, now.toISOString(), 0)])
        .when({ type: 'RotateEndpointSecret', data: { secret: secret(3, later), now: new Date(later), graceMs: DEFAULT_ROTATION_GRACE_MS } })
        .then([rotated(3, later)]);
      expect(afterExpiry.secrets[0].expires_at).toBe(now.toISOString());
    });

    it(`refuses a rotation while ${MAX_ACTIVE_SECRETS} secrets are active`, () => {
      const hour = 60 * 60 * 1000;
      const history = [created()];
      for (let n = 2; n <= MAX_ACTIVE_SECRETS; n++) history.push(rotated(n, new Date(now.getTime() + n * hour).toISOString()));
      const at = new Date(now.getTime() + (MAX_ACTIVE_SECRETS + 1) * hour);
      const { state } = given(history);
      expect(activeSecrets(state, at)).toHaveLength(MAX_ACTIVE_SECRETS);

      const { decision } = given(history)
        .when({ type: 'RotateEndpointSecret', data: { secret: secret(9), now: at, graceMs: DEFAULT_ROTATION_GRACE_MS } })
        .then('precondition_failed');
      expect(!decision.ok && decision.error.message).toContain(`${MAX_ACTIVE_SECRETS} active secrets`);
    });

    it('allows the rotation again once rotated-out secrets have expired', () => {
      const hour = 60 * 60 * 1000;
      const history = [created()];
      for (let n = 2; n <= MAX_ACTIVE_SECRETS; n++) history.push(rotated(n, new Date(now.getTime() + n * hour).toISOString()));
      const dayLater = new Date(now.getTime() + (MAX_ACTIVE_SECRETS + 1) * hour + DEFAULT_ROTATION_GRACE_MS);
      const previous_secrets_expire_at = new Date(dayLater.getTime() + DEFAULT_ROTATION_GRACE_MS).toISOString();
      const { state } = given(history)
        .when({ type: 'RotateEndpointSecret', data: { secret: secret(9), now: dayLater, graceMs: DEFAULT_ROTATION_GRACE_MS } })
        .then([{ type: 'endpoint.secret_rotated.v1', data: { endpoint_id, secret: secret(9), previous_secrets_expire_at } }]);
      expect(activeSecrets(state, dayLater).map((s) => s.sealed)).toEqual([`enc:v1:${MAX_ACTIVE_SECRETS}`, 'enc:v1:9']);
    });
  });

  describe('ResealEndpoint', () => {
    const auth = { type: 'oauth2_client_credentials' as const, token_url: 'https://idp.example.com/token', client_id: 'c', client_secret_sealed: 'enc:v1:auth', scope: null, audience: null, client_auth: 'basic' as const };
    const client_certificate = { cert_pem: 'PEM', key_sealed: 'enc:v1:key', fingerprint_sha256: 'AA:BB', not_after: '2027-01-01T00:00:00.000Z' };
    const withCredentials: EndpointEvent = { type: 'endpoint.created.v1', data: { ...settings, auth, client_certificate, endpoint_id, status: 'enabled', secrets: [secret(1)] } };

    it('replaces the sealed values it names, keeping everything else of the secrets and the credentials', () => {
      const data = { secrets: [{ secret_id: secret(1).secret_id, sealed: 'enc:v1:1-new' }], auth_client_secret_sealed: 'enc:v1:auth-new', client_certificate_key_sealed: 'enc:v1:key-new' };
      const { state } = given([withCredentials, rotated(2, '2025-02-01T00:00:00.000Z')])
        .when({ type: 'ResealEndpoint', data })
        .then([{ type: 'endpoint.resealed.v1', data: { endpoint_id, ...data } }]);
      expect(state.secrets.map((s) => s.sealed)).toEqual(['enc:v1:1-new', 'enc:v1:2']);
      expect(state.secrets[0]).toEqual({ ...secret(1), sealed: 'enc:v1:1-new', expires_at: '2025-02-02T00:00:00.000Z' });
      expect(state.settings.auth).toEqual({ ...auth, client_secret_sealed: 'enc:v1:auth-new' });
      expect(state.settings.client_certificate).toEqual({ ...client_certificate, key_sealed: 'enc:v1:key-new' });
      expect(state.settings.url).toBe(settings.url);
    });

    it("replaces a Kafka SASL password, and refuses a client secret for SASL auth or a password for OAuth auth", () => {
      const sasl = { type: 'kafka_sasl' as const, mechanism: 'scram-sha-256' as const, username: 'hookline', password_sealed: 'enc:v1:pw' };
      const withSasl: EndpointEvent = { type: 'endpoint.created.v1', data: { ...settings, url: 'kafka+tls://b.example.com:9093/orders', auth: sasl, endpoint_id, status: 'enabled', secrets: [secret(1)] } };
      const { state } = given([withSasl])
        .when({ type: 'ResealEndpoint', data: { secrets: [], auth_password_sealed: 'enc:v1:pw-new' } })
        .then([{ type: 'endpoint.resealed.v1', data: { endpoint_id, secrets: [], auth_password_sealed: 'enc:v1:pw-new' } }]);
      expect(state.settings.auth).toEqual({ ...sasl, password_sealed: 'enc:v1:pw-new' });
      given([withSasl]).when({ type: 'ResealEndpoint', data: { secrets: [], auth_client_secret_sealed: 'enc:v1:a' } }).then('precondition_failed');
      given([withCredentials]).when({ type: 'ResealEndpoint', data: { secrets: [], auth_password_sealed: 'enc:v1:p' } }).then('precondition_failed');
    });

    it('replaces an AMQP password, and refuses a client secret for an AMQP login', () => {
      const login = { type: 'amqp_plain' as const, username: 'hookline', password_sealed: 'enc:v1:pw' };
      const withLogin: EndpointEvent = { type: 'endpoint.created.v1', data: { ...settings, url: 'amqps://rabbit.example.com?exchange=x', auth: login, endpoint_id, status: 'enabled', secrets: [secret(1)] } };
      const { state } = given([withLogin])
        .when({ type: 'ResealEndpoint', data: { secrets: [], auth_password_sealed: 'enc:v1:pw-new' } })
        .then([{ type: 'endpoint.resealed.v1', data: { endpoint_id, secrets: [], auth_password_sealed: 'enc:v1:pw-new' } }]);
      expect(state.settings.auth).toEqual({ ...login, password_sealed: 'enc:v1:pw-new' });
      given([withLogin]).when({ type: 'ResealEndpoint', data: { secrets: [], auth_client_secret_sealed: 'enc:v1:a' } }).then('precondition_failed');
    });

    it('has nothing to record when nothing was sealed again', () => {
      given([created()]).when({ type: 'ResealEndpoint', data: { secrets: [] } }).then([]);
    });

    it('refuses values the endpoint does not hold (it changed since they were read), and a deleted endpoint', () => {
      given([created()]).when({ type: 'ResealEndpoint', data: { secrets: [{ secret_id: secret(7).secret_id, sealed: 'enc:v1:7' }] } }).then('precondition_failed');
      given([created()]).when({ type: 'ResealEndpoint', data: { secrets: [], auth_client_secret_sealed: 'enc:v1:a' } }).then('precondition_failed');
      given([created()]).when({ type: 'ResealEndpoint', data: { secrets: [], client_certificate_key_sealed: 'enc:v1:k' } }).then('precondition_failed');
      given([created(), deleted]).when({ type: 'ResealEndpoint', data: { secrets: [] } }).then('not_found');
    });
  });

  describe('types needing approval, for an endpoint of every type', () => {
    const everyType = { ...settings, event_types: null };
    const createdEveryType: EndpointEvent = {
      type: 'endpoint.created.v1',
      data: { ...everyType, approved_event_types: [], endpoint_id, status: 'enabled', secrets: [secret(1)] },
    };

    it('is created approved for none: the tenant had no type needing approval, or it would be waiting', () => {
      const { state } = given([])
        .when({ type: 'CreateEndpoint', data: { endpoint_id, settings: everyType, secret: secret(1), disabled: false }, needsApproval: false })
        .then([createdEveryType]);
      expect(state.approvedEventTypes).toEqual([]);
    });

    it('awaits approval of a type that needs it since, and never of one it lists by name', () => {
      const { state } = given([createdEveryType]).when({ type: 'UpdateEndpoint', data: {}, needsApproval: false }).then([]);
      expect(typesAwaitingApproval(state, ['payout.sent'])).toEqual(['payout.sent']);
      expect(typesAwaitingApproval(given([created()]).state, ['invoice.paid'])).toEqual([]);
    });

    it('is approved for the types awaiting, keeping its status, and then awaits none', () => {
      const { state } = given([createdEveryType, disabled])
        .when({ type: 'ApproveEndpoint', gatedTypes: ['payout.sent'] })
        .then([{ type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: ['payout.sent'] } }]);
      expect(state).toMatchObject({ deliveryStatus: 'disabled', disabledReason: 'manual', approvedEventTypes: ['payout.sent'] });
      expect(typesAwaitingApproval(state, ['payout.sent'])).toEqual([]);
      given([createdEveryType, disabled, { type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: ['payout.sent'] } }])
        .when({ type: 'ApproveEndpoint', gatedTypes: ['payout.sent'] }).then('precondition_failed');
    });

    it('a pending endpoint of every type is approved for every type needing approval then', () => {
      const pending: EndpointEvent = { ...createdEveryType, data: { ...createdEveryType.data, status: 'pending_approval' } } as EndpointEvent;
      const { state } = given([pending]).when({ type: 'ApproveEndpoint', gatedTypes: ['payout.sent', 'kyc.passed'] })
        .then([{ type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: ['payout.sent', 'kyc.passed'] } }]);
      expect(state).toMatchObject({ deliveryStatus: 'enabled', approvedEventTypes: ['payout.sent', 'kyc.passed'] });
    });

    it('coming to every type, is approved for the types it listed that need approval, or for none while it waits', () => {
      given([{ ...created(), data: { ...(created().data as EndpointSettingsV1), endpoint_id, status: 'enabled', secrets: [secret(1)], event_types: ['payout.sent'] } } as EndpointEvent])
        .when({ type: 'UpdateEndpoint', data: { event_types: null }, needsApproval: false, gatedTypes: ['payout.sent'] })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, event_types: null, approved_event_types: ['payout.sent'] } }]);
      given([created()])
        .when({ type: 'UpdateEndpoint', data: { event_types: null }, needsApproval: true, gatedTypes: ['payout.sent'] })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, event_types: null, approved_event_types: [], status: 'pending_approval' } }]);
    });

    it('one created before approvals were kept per type receives every type, and has none awaiting', () => {
      const legacy: EndpointEvent = { type: 'endpoint.created.v1', data: { ...everyType, endpoint_id, status: 'enabled', secrets: [secret(1)] } };
      const { state } = given([legacy]).when({ type: 'ApproveEndpoint', gatedTypes: ['payout.sent'] }).then('precondition_failed');
      expect(typesAwaitingApproval(state, ['payout.sent'])).toEqual([]);
    });
  });

  describe('declining types an endpoint of every type awaits approval for', () => {
    const gatedTypes = ['payout.sent', 'kyc.passed'];
    const createdEveryType: EndpointEvent = {
      type: 'endpoint.created.v1',
      data: { ...settings, event_types: null, approved_event_types: [], endpoint_id, status: 'enabled', secrets: [secret(1)] },
    };
    const declinedPayouts: EndpointEvent = {
      type: 'endpoint.event_types_declined.v1',
      data: { endpoint_id, event_types: ['payout.sent'], reason: 'not a payments partner', declined_event_types: ['payout.sent'] },
    };
    const decline = (eventTypes: string[], reason = 'not a payments partner') =>
      ({ type: 'DeclineEventTypes', data: { event_types: eventTypes, reason }, gatedTypes }) as const;

    it('declines an awaited type: it is no longer awaited, and the endpoint keeps its status', () => {
      const { state } = given([createdEveryType]).when(decline(['payout.sent'])).then([declinedPayouts]);
      expect(state).toMatchObject({ deliveryStatus: 'enabled', approvedEventTypes: [], declinedEventTypes: ['payout.sent'] });
      expect(typesAwaitingApproval(state, gatedTypes)).toEqual(['kyc.passed']);
      expect(typesDeclined(state, gatedTypes)).toEqual(['payout.sent']);
      // Not awaited, yet still not approved: it is not delivered.
      expect(typesNotApproved(state, gatedTypes)).toEqual(gatedTypes);
    });

    it('keeps the types declined before in the list it carries', () => {
      given([createdEveryType, declinedPayouts]).when(decline(['kyc.passed'], ''))
        .then([{ type: 'endpoint.event_types_declined.v1', data: { endpoint_id, event_types: ['kyc.passed'], reason: '', declined_event_types: ['payout.sent', 'kyc.passed'] } }]);
    });

    it('declines types of a pending endpoint, which still waits for its approval', () => {
      const pending = { ...createdEveryType, data: { ...createdEveryType.data, status: 'pending_approval' } } as EndpointEvent;
      const { state } = given([pending]).when(decline(['payout.sent'])).then([declinedPayouts]);
      expect(state.deliveryStatus).toBe('pending_approval');
    });

    it.each([
      ['a type that needs no approval', [createdEveryType], 'invoice.paid', /does not need approval/],
      ['a type already declined', [createdEveryType, declinedPayouts], 'payout.sent', /already declined/],
      ['a type already approved', [createdEveryType, { type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: ['payout.sent'] } }], 'payout.sent', /already approved/],
      ['a type of an endpoint that lists its types', [created()], 'payout.sent', /approved or rejected as a whole/],
    ] as Array<[string, EndpointEvent[], string, RegExp]>)('refuses to decline %s, naming it', (_, history, name, message) => {
      // Named among awaited types where there are some: the refusal names the one at fault.
      const named = history.length > 1 || history[0] === createdEveryType ? ['kyc.passed', name] : [name];
      const { decision } = given(history).when(decline(named)).then('precondition_failed');
      expect(!decision.ok && decision.error.message).toMatch(message);
      expect(!decision.ok && decision.error.message).toContain(name);
    });

    it('a later approval approves what is awaited, not the declined types, which stay declined', () => {
      const { state } = given([createdEveryType, declinedPayouts]).when({ type: 'ApproveEndpoint', gatedTypes })
        .then([{ type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: ['kyc.passed'] } }]);
      expect(typesDeclined(state, gatedTypes)).toEqual(['payout.sent']);
      expect(typesAwaitingApproval(state, gatedTypes)).toEqual([]);
    });

    it('refuses an approval when every awaited type was declined', () => {
      given([createdEveryType, declinedPayouts, { type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: ['kyc.passed'] } }])
        .when({ type: 'ApproveEndpoint', gatedTypes }).then('precondition_failed');
    });

    it('an approval naming a declined type approves it and lifts the decline, keeping what was approved', () => {
      const { state } = given([createdEveryType, declinedPayouts]).when({ type: 'ApproveEndpoint', gatedTypes, eventTypes: ['payout.sent'] })
        .then([{ type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: ['payout.sent'], declined_event_types: [] } }]);
      expect(state).toMatchObject({ approvedEventTypes: ['payout.sent'], declinedEventTypes: [] });
      expect(typesAwaitingApproval(state, gatedTypes)).toEqual(['kyc.passed']);
    });

    it('refuses an approval naming a type neither awaited nor declined, or of an endpoint that lists its types', () => {
      given([createdEveryType]).when({ type: 'ApproveEndpoint', gatedTypes, eventTypes: ['invoice.paid'] }).then('precondition_failed');
      given([created('pending_approval')]).when({ type: 'ApproveEndpoint', gatedTypes, eventTypes: ['payout.sent'] }).then('precondition_failed');
    });

    it('coming to every type again asks again about the types declined before', () => {
      const listing: EndpointEvent = { type: 'endpoint.updated.v1', data: { endpoint_id, event_types: ['invoice.paid'] } };
      const { state } = given([createdEveryType, declinedPayouts, listing])
        .when({ type: 'UpdateEndpoint', data: { event_types: null }, needsApproval: true, gatedTypes })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, event_types: null, approved_event_types: [], declined_event_types: [], status: 'pending_approval' } }]);
      expect(typesAwaitingApproval(state, gatedTypes)).toEqual(gatedTypes);
    });

    it('a declined type that no longer needs approval is neither declined nor awaited', () => {
      const { state } = given([createdEveryType, declinedPayouts]).when({ type: 'UpdateEndpoint', data: {}, needsApproval: false }).then([]);
      expect(typesDeclined(state, ['kyc.passed'])).toEqual([]);
      expect(typesAwaitingApproval(state, ['kyc.passed'])).toEqual(['kyc.passed']);
    });
  });

  describe('PatchEndpointHeaders', () => {
    const withHeaders: EndpointEvent = { ...created(), data: { ...(created().data as EndpointSettingsV1), endpoint_id, status: 'enabled', secrets: [secret(1)],
      headers: { 'X-Api-Key': 'sk_original', 'X-Team': 'billing' } } } as EndpointEvent;

    it('sets and removes the headers named, keeps the others, and matches names whatever their case', () => {
      const { state } = given([withHeaders])
        .when({ type: 'PatchEndpointHeaders', data: { headers: { 'x-team': 'payments', 'X-Region': 'eu', 'X-Gone': null } } })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, headers: { 'X-Api-Key': 'sk_original', 'x-team': 'payments', 'X-Region': 'eu' } } }]);
      expect(state.settings.headers).toEqual({ 'X-Api-Key': 'sk_original', 'x-team': 'payments', 'X-Region': 'eu' });
      given([withHeaders]).when({ type: 'PatchEndpointHeaders', data: { headers: { 'X-API-KEY': null } } })
        .then([{ type: 'endpoint.updated.v1', data: { endpoint_id, headers: { 'X-Team': 'billing' } } }]);
    });

    it('records nothing when nothing changes', () => {
      given([withHeaders]).when({ type: 'PatchEndpointHeaders', data: { headers: { 'X-Team': 'billing', 'X-Missing': null } } }).then([]);
    });

    it('refuses to go past the most custom headers an endpoint may have, naming the field', () => {
      const many = Object.fromEntries(Array.from({ length: MAX_CUSTOM_HEADERS - 1 }, (_, i) => [`X-H${i}`, 'v']));
      const { decision } = given([withHeaders]).when({ type: 'PatchEndpointHeaders', data: { headers: many } }).then('invalid');
      expect(!decision.ok && decision.error).toMatchObject({ field: '/headers', message: expect.stringMatching(/at most 20 .* would have 21/) });
    });

    it('refuses an endpoint that is gone', () => {
      given([withHeaders, deleted]).when({ type: 'PatchEndpointHeaders', data: { headers: { 'X-Team': null } } }).then('not_found');
    });
  });
});
