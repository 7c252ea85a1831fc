// Bearer-token authentication and role checks, decided per route, never from the URL: the /api/v1 plugin
// (src/routes/api.ts) installs `authenticate` as an onRequest hook of its own encapsulated context, so every
// route registered there carries the check however its path was spelled (percent-escapes are decoded by the
// router before a route is chosen). A route opts out with `config: { public: true }` and restricts roles with
// `config: { roles: [...] }`; a wrong role is 403 (the route exists for everyone). A route without roles is for
// staff (admins, clinicians, reviewers): a trainee reaches only the routes that name them in `roles` or say
// `trainees: true`, and elsewhere gets 404 where the route names a resource (a case, a photo: they must not learn
// which exist), 403 otherwise. So a route added later is closed to trainees until it says otherwise.
import type { FastifyContextConfig, FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors.js';
import { hashToken } from '../ids.js';
import type { User } from '../repositories/users.js';
import type { Role } from '../vocabulary.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    roles?: Role[];
    /** Open to trainees as well as staff (for a route without `roles`): their own account, a teaching case's photos. */
    trainees?: boolean;
  }
  interface FastifyRequest {
    user: User | null;
    /** The hash of the bearer token this request was authenticated with (sign-out ends that session). */
    sessionTokenHash: string | null;
  }
}

/** The signed-in user of a route that is not public. */
export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw new UnauthorizedError();
  return request.user;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
  return match ? match[1]! : null;
}

/** The onRequest hook of the /api/v1 context: every route in it is signed-in only unless declared public. */
export function authenticate(app: FastifyInstance): onRequestAsyncHookHandler {
  return async function authenticateRequest(request) {
    const config = request.routeOptions.config;
    if (config.public === true) return;
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedError();
    const tokenHash = hashToken(token);
    const user = await app.repos.users.findBySession(tokenHash);
    if (!user || user.disabled) throw new UnauthorizedError('Your session has ended: please sign in again');
    request.user = user;
    request.sessionTokenHash = tokenHash;
    request.actor = { type: 'user', id: user.id };
    if (!routeAdmits(config, user.role)) throw user.role === 'trainee' && request.routeOptions.schema?.params ? new NotFoundError() : new ForbiddenError();
  };
}

/** Whether a role may use a route: the roles it names; without any, every staff role, and trainees where it says so. */
export function routeAdmits(config: Pick<FastifyContextConfig, 'roles' | 'trainees'>, role: Role): boolean {
  if (config.roles) return config.roles.includes(role);
  return role !== 'trainee' || config.trainees === true;
}

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('user', null);
    app.decorateRequest('sessionTokenHash', null);
  },
  { name: 'auth', dependencies: ['app-context'] },
);
