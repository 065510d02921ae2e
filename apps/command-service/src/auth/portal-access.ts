import { ProblemError } from '@hookline/service-kit';
import type { AuthContext } from './auth-context';

// What a portal session may do: look after its tenant's endpoints and their deliveries, and send an endpoint a test
// message, as the tenant's customer would in the portal. Everything else is refused, routes added later included: publishing messages, keys, event types, the
// tenant itself, approvals (the platform's call), expunging content.
const ENDPOINT = String.raw`^/v1/tenants/[^/]+/endpoints`;
const REST: ReadonlyArray<{ method: string; path: RegExp }> = [
  { method: 'GET', path: /^\/v1\/portal\/session$/ },
  { method: 'POST', path: new RegExp(`${ENDPOINT}$`) },
  { method: 'PATCH', path: new RegExp(`${ENDPOINT}/[^/]+(/headers)?$`) },
  { method: 'DELETE', path: new RegExp(`${ENDPOINT}/[^/]+$`) },
  { method: 'POST', path: new RegExp(`${ENDPOINT}/[^/]+/(enable|disable|rotate-secret|recover|replay|test)$`) },
  { method: 'POST', path: /^\/v1\/tenants\/[^/]+\/messages\/[^/]+\/resend$/ },
  { method: 'POST', path: /^\/v1\/tenants\/[^/]+\/transformations\/preview$/ },
];
const GRPC = new Set([
  'EndpointService/CreateEndpoint', 'EndpointService/UpdateEndpoint', 'EndpointService/DeleteEndpoint',
  'EndpointService/EnableEndpoint', 'EndpointService/DisableEndpoint', 'EndpointService/RotateSecret', 'EndpointService/PatchEndpointHeaders',
  'EndpointService/RecoverEndpoint', 'EndpointService/ReplayEndpoint', 'EndpointService/PreviewTransformation', 'EndpointService/SendTestMessage',
  'MessageService/ResendMessage',
]);

// A view-only session (read_only) asks this service only who it is: everything it shows comes from the query service.
const READ_ONLY_REST = REST.filter((r) => r.method === 'GET');

const refusal = (auth: AuthContext) => new ProblemError('forbidden', auth.readOnly
  ? 'this portal session is view-only: it may look, not change anything'
  : 'a portal session may only manage its tenant\'s endpoints and resend their messages');

/** Refuses (403) a REST call a portal session may not make; any other key passes. */
export function checkPortalRest(auth: AuthContext, method: string, path: string): void {
  if (auth.scope !== 'portal') return;
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (!(auth.readOnly ? READ_ONLY_REST : REST).some((r) => r.method === method && r.path.test(normalized))) throw refusal(auth);
}

/** The same for a gRPC method, from its path (`/hookline.command.v1.EndpointService/CreateEndpoint`). */
export function checkPortalGrpc(auth: AuthContext, methodPath: string | undefined): void {
  if (auth.scope !== 'portal') return;
  const [service, method] = (methodPath ?? '').split('/').filter(Boolean);
  const name = `${service?.split('.').pop() ?? ''}/${method ?? ''}`;
  // Every method here changes something: a view-only session may call none.
  if (auth.readOnly || !GRPC.has(name)) throw refusal(auth);
}
