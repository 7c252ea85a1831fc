// Bearer-token authentication and role checks for /api/v1. Routes opt out with `config: { public: true }`
// and restrict roles with `config: { roles: [...] }`; a wrong role is 403 (the route exists for everyone).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { hashToken } from '../ids.js';
import type { Role, User } from '../repositories/users.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    roles?: Role[];
  }
  interface FastifyRequest {
    user: User | null;
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

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('user', null);

    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      if (!request.url.startsWith('/api/') || config.public) return;
      const token = bearerToken(request);
      if (!token) throw new UnauthorizedError();
      const userId = await app.repos.sessions.findUserId(hashToken(token));
      const user = userId ? await app.repos.users.findById(userId) : null;
      if (!user || user.disabled) throw new UnauthorizedError('Your session has ended: please sign in again');
      request.user = user;
      request.actor = { type: 'user', id: user.id };
      if (config.roles && !config.roles.includes(user.role)) throw new ForbiddenError();
    });
  },
  { name: 'auth', dependencies: ['app-context'] },
);
