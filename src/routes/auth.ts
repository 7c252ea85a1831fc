// Sign-in, sign-out and "who am I". Unknown email and wrong password give the same 401 in the same time.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { decoyPasswordHash, verifyPassword } from '../auth/passwords.js';
import { createSignInThrottle } from '../auth/sign-in-throttle.js';
import { TooManyRequestsError, UnauthorizedError } from '../errors.js';
import { hashToken, randomToken } from '../ids.js';
import { currentUser } from '../plugins/auth.js';
import { LoginReplySchema } from '../schemas/auth.js';
import { errorResponses, isoTime } from '../schemas/common.js';
import { MeSchema, UpdateMeSchema } from '../schemas/users.js';
import { toUserBody } from '../schemas/views.js';
import type { User } from '../repositories/users.js';
import type { Language } from '../vocabulary.js';

const LoginSchema = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const LOGIN_FAILED = 'Email or password is not correct';

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const throttle = createSignInThrottle(app.repos.signInFailures, {
    failuresPerAddressPerMinute: app.config.loginRateLimitPerMinute,
    failuresPerAccount: app.config.loginFailuresPerAccount,
  }, () => app.clock.now());

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        operationId: 'signIn',
        tags: ['auth'],
        summary: 'Sign in with email and password; returns a bearer token',
        body: LoginSchema,
        response: { 200: LoginReplySchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const { email, password } = request.body;
      const wait = await throttle.waitSeconds(email, request.ip);
      if (wait > 0) throw new TooManyRequestsError(wait, `Too many failed sign-ins: try again in ${wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}`);
      const found = await app.repos.users.findCredentials(email);
      // Verify against a decoy when the email is unknown, so timing does not reveal which accounts exist.
      const valid = await verifyPassword(found?.passwordHash ?? (await decoyPasswordHash()), password);
      if (!found || !valid || found.user.disabled) {
        await app.repos.audit.record({
          actorType: 'anonymous',
          actorId: null,
          action: 'auth.login_failed',
          targetType: found ? 'user' : null,
          targetId: found?.user.id ?? null,
          requestId: request.id,
          ip: request.ip,
        });
        await throttle.failed(email, request.ip);
        throw new UnauthorizedError(LOGIN_FAILED);
      }
      await throttle.succeeded(email);
      const token = randomToken();
      const expiresAt = app.clock.now() + app.config.sessionTtlMs;
      await app.repos.sessions.create(found.user.id, hashToken(token), expiresAt);
      request.actor = { type: 'user', id: found.user.id };
      await app.audit(request, { action: 'auth.login', targetType: 'user', targetId: found.user.id });
      const { id, email: userEmail, name, role } = found.user;
      return { token, expiresAt: isoTime(expiresAt), user: { id, email: userEmail, name, role } };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { trainees: true },
      schema: {
        operationId: 'signOut',
        tags: ['auth'],
        summary: 'End this session: the token stops working',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await app.repos.sessions.delete(request.sessionTokenHash!);
      app.notifier.live.endSession(request.sessionTokenHash!);
      await app.audit(request, { action: 'auth.logout', targetType: 'user', targetId: currentUser(request).id });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { trainees: true },
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: 'The signed-in user, with their language and email choices',
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (request) => meBody(app, currentUser(request)),
  );

  app.patch(
    '/me',
    {
      config: { trainees: true },
      schema: {
        operationId: 'updateMe',
        tags: ['auth'],
        summary: 'Your language and which emails reach you',
        body: UpdateMeSchema,
        response: { 200: MeSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { language, notifications } = request.body;
      await app.repos.notifications.setPreferences(user.id, { preferences: notifications?.email, language }, app.clock.now());
      await app.audit(request, {
        action: 'user.preferences_update',
        targetType: 'user',
        targetId: user.id,
        detail: { ...(language ? { language } : {}), ...(notifications?.email ? { email: notifications.email } : {}) },
      });
      return meBody(app, user);
    },
  );
};

async function meBody(app: FastifyInstance, user: User) {
  const { preferences, language } = await app.repos.notifications.preferences(user.id);
  return { ...toUserBody(user), language: language as Language | null, notifications: { email: preferences } };
}

export default authRoutes;
