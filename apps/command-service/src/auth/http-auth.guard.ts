import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AuthContext } from './auth-context';
import { Authenticator } from './authenticator';
import { checkPortalRest } from './portal-access';

type AuthedRequest = Request & { auth?: AuthContext };

/**
 * Authenticates every REST call except health, metrics, the API docs, the portal page (public files) and providers'
 * webhooks to HTTP sources (their signature is their authentication, checked by the route).
 */
@Injectable()
export class HttpAuthGuard implements CanActivate {
  constructor(@Inject(Authenticator) private readonly authenticator: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    if (/^\/(healthz|readyz|metrics|openapi\.json|docs|portal(\/|$)|ingest\/)/.test(req.path)) return true;
    req.auth = await this.authenticator.authenticate(req.headers.authorization, req.ip);
    checkPortalRest(req.auth, req.method, req.path);
    return true;
  }
}

/** The authenticated caller of a REST handler. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.auth) throw new Error('Caller used on a route without authentication');
  return req.auth;
});
