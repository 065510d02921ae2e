import { TenantId } from '@hookline/contracts';
import { AuthContext } from './auth-context';
import { checkPortalGrpc, checkPortalRest } from './portal-access';

const portal: AuthContext = { keyId: 'key_portal', scope: 'portal', tenantId: 'tnt_1' as TenantId, expiresAt: '2026-12-01T11:00:00.000Z' };
const tenant: AuthContext = { ...portal, scope: 'tenant', expiresAt: null };
const T = '/v1/tenants/tnt_1';

describe('what a portal session may call', () => {
  it.each([
    ['GET', '/v1/portal/session'],
    ['POST', `${T}/endpoints`],
    ['POST', `${T}/endpoints/`],
    ['PATCH', `${T}/endpoints/ep_1`],
    ['PATCH', `${T}/endpoints/ep_1/headers`],
    ['DELETE', `${T}/endpoints/ep_1`],
    ['POST', `${T}/endpoints/ep_1/enable`],
    ['POST', `${T}/endpoints/ep_1/disable`],
    ['POST', `${T}/endpoints/ep_1/rotate-secret`],
    ['POST', `${T}/endpoints/ep_1/recover`],
    ['POST', `${T}/endpoints/ep_1/replay`],
    ['POST', `${T}/endpoints/ep_1/test`],
    ['POST', `${T}/messages/msg_1/resend`],
    ['POST', `${T}/transformations/preview`],
  ])('may %s %s', (method, path) => {
    expect(() => checkPortalRest(portal, method, path)).not.toThrow();
  });

  it.each([
    ['POST', `${T}/messages`], // publishing is the platform's
    ['DELETE', `${T}/messages/msg_1/content`],
    ['POST', '/v1/api-keys'],
    ['DELETE', '/v1/api-keys/key_1'],
    ['POST', `${T}/portal-sessions`],
    ['POST', `${T}/event-types`],
    ['PATCH', `${T}/event-types/invoice.paid`],
    ['POST', `${T}/endpoints/ep_1/approve`],
    ['POST', `${T}/endpoints/ep_1/reject`],
    ['POST', `${T}/endpoints/ep_1/decline-event-types`],
    ['PATCH', T],
    ['DELETE', T],
    ['POST', `${T}/recover`],
    ['POST', '/v1/tenants'],
    ['POST', '/v1/sealing-key/reseal'],
    ['GET', `${T}/endpoints/ep_1/approve`],
    ['POST', `${T}/endpoints/ep_1/enable/extra`],
    ['PATCH', `${T}/endpoints/ep_1/headers/extra`],
    ['POST', `${T}/something-added-later`],
  ])('may not %s %s (403)', (method, path) => {
    expect(() => checkPortalRest(portal, method, path)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => checkPortalRest(tenant, method, path)).not.toThrow(); // the tenant's own keys are not limited here
  });

  it('may call the endpoint methods and ResendMessage over gRPC, and nothing else', () => {
    for (const method of ['CreateEndpoint', 'UpdateEndpoint', 'DeleteEndpoint', 'EnableEndpoint', 'DisableEndpoint', 'RotateSecret',
      'PatchEndpointHeaders', 'RecoverEndpoint', 'ReplayEndpoint', 'PreviewTransformation', 'SendTestMessage']) {
      expect(() => checkPortalGrpc(portal, `/hookline.command.v1.EndpointService/${method}`)).not.toThrow();
    }
    expect(() => checkPortalGrpc(portal, '/hookline.command.v1.MessageService/ResendMessage')).not.toThrow();
    for (const path of ['/hookline.command.v1.MessageService/PublishMessage', '/hookline.command.v1.EndpointService/ApproveEndpoint',
      '/hookline.command.v1.EndpointService/DeclineEventTypes',
      '/hookline.command.v1.ApiKeyService/CreatePortalSession', '/hookline.command.v1.TenantService/DeleteTenant', undefined]) {
      expect(() => checkPortalGrpc(portal, path)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
      expect(() => checkPortalGrpc(tenant, path)).not.toThrow();
    }
  });

  it('a view-only session may only ask who it is: every change is refused, over REST and gRPC', () => {
    const viewOnly: AuthContext = { ...portal, readOnly: true };
    expect(() => checkPortalRest(viewOnly, 'GET', '/v1/portal/session')).not.toThrow();
    for (const [method, path] of [['POST', `${T}/endpoints`], ['PATCH', `${T}/endpoints/ep_1`], ['PATCH', `${T}/endpoints/ep_1/headers`],
      ['DELETE', `${T}/endpoints/ep_1`], ['POST', `${T}/endpoints/ep_1/test`], ['POST', `${T}/messages/msg_1/resend`]]) {
      expect(() => checkPortalRest(viewOnly, method, path)).toThrow(expect.objectContaining({ kind: 'forbidden', message: expect.stringMatching(/view-only/) }));
    }
    expect(() => checkPortalGrpc(viewOnly, '/hookline.command.v1.EndpointService/UpdateEndpoint')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });
});
