// Account basics: the first admin from the one-time set-up address, a user's own password, and the
// one-time reset links an admin issues. Tokens travel only in the body or the link; the database keeps
// their hashes. A wrong, used or expired token is a 404 like any unknown thing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../auth/password-policy.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { ConflictError, NotFoundError, BadRequestError, WeakPasswordError } from '../errors.js';
import { hashToken, randomId, randomToken } from '../ids.js';
import { emailLanguage, passwordResetEmail } from '../notifications/email-content.js';
import { messageIdFor } from '../notifications/mailer.js';
import { currentUser } from '../plugins/auth.js';
import { DateTimeSchema, errorResponses, IdParamsSchema, isoTime } from '../schemas/common.js';
import { UserSchema } from '../schemas/users.js';
import { toUserBody } from '../schemas/views.js';

export const RESET_PATH = '/reset';
const RESET_LINK_HOURS = 24;

const PasswordSchema = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: `At least ${MIN_PASSWORD_LENGTH} characters, not blank, not one character or a short word repeated, not a row of the keyboard, not a common password`,
});
const TokenSchema = Type.String({ minLength: 1, maxLength: 200, description: 'The secret from the one-time address' });

const SetupSchema = Type.Object(
  {
    token: TokenSchema,
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: PasswordSchema,
  },
  { additionalProperties: false },
);

const ResetSchema = Type.Object({ token: TokenSchema, password: PasswordSchema }, { additionalProperties: false });
const ChangePasswordSchema = Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: PasswordSchema }, { additionalProperties: false });
const ResetLinkSchema = Type.Object({
  url: Type.String({ description: 'The one-time link, to hand to the user' }),
  expiresAt: DateTimeSchema,
  emailed: Type.Boolean({ description: 'Whether the link is also on its way to the user by email (SMTP_URL set)' }),
});

/** Whether a set-up token still opens the way to the first admin: no admin yet, and the token issued. */
export async function setupAddressWorks(app: FastifyInstance, token: string): Promise<boolean> {
  return token !== '' && (await app.repos.users.countActiveAdmins()) === 0 && (await app.repos.accountTokens.setupTokenExists(hashToken(token)));
}

/** The rule a password breaks, in plain words, as a 400 before anything is hashed or written. */
function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new WeakPasswordError(problem);
}

const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/setup',
    {
      config: { public: true },
      schema: {
        operationId: 'createFirstAdmin',
        tags: ['auth'],
        summary: 'Create the first admin with the one-time set-up address from the log',
        description: 'Only while no admin exists; afterwards, and for a wrong or used token, 404.',
        security: [],
        body: SetupSchema,
        response: { 201: UserSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const { token, email, name, password } = request.body;
      if (!(await setupAddressWorks(app, token))) throw new NotFoundError();
      checkPassword(password);
      const passwordHash = await hashPassword(password);
      // Two set-up requests at once (or on two instances) take turns: the second finds an admin and gets 404.
      const admin = await app.database.withFleetLock('bootstrap', async () => {
        if (!(await setupAddressWorks(app, token))) throw new NotFoundError();
        if (await app.repos.users.emailExists(email)) throw new ConflictError('A user with this email already exists', 'EMAIL_TAKEN');
        const created = await app.repos.users.create({ email, name, role: 'admin', siteId: null, passwordHash, queues: [] });
        await app.repos.accountTokens.clearSetupTokens();
        return created;
      });
      request.actor = { type: 'user', id: admin.id };
      await app.audit(request, { action: 'user.create', targetType: 'user', targetId: admin.id, detail: { role: 'admin', setup: true } });
      request.log.info({ userId: admin.id }, 'first admin created from the set-up address');
      return reply.code(201).send(toUserBody(admin));
    },
  );

  app.post(
    '/me/password',
    {
      config: { trainees: true },
      schema: {
        operationId: 'changeOwnPassword',
        tags: ['auth'],
        summary: 'Change your own password; your other sessions end',
        body: ChangePasswordSchema,
        response: { 204: Type.Null(), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const { currentPassword, newPassword } = request.body;
      const stored = await app.repos.users.passwordHash(user.id);
      if (!stored || !(await verifyPassword(stored, currentPassword))) throw new BadRequestError('Your current password is not right', 'WRONG_PASSWORD');
      checkPassword(newPassword);
      await app.repos.users.setPasswordHash(user.id, await hashPassword(newPassword));
      // Anyone else holding a session of this account (another device, a stolen token) is signed out.
      await app.repos.sessions.deleteForUser(user.id, request.sessionTokenHash ?? undefined);
      app.notifier.live.endSessions(user.id, request.sessionTokenHash ?? undefined);
      await app.audit(request, { action: 'user.password_change', targetType: 'user', targetId: user.id });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:id/password-reset',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'issuePasswordReset',
        tags: ['users'],
        summary: `A one-time link (valid ${RESET_LINK_HOURS} h) where the user sets a new password`,
        params: IdParamsSchema,
        response: { 201: ResetLinkSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = await app.repos.users.findById(request.params.id);
      if (!user) throw new NotFoundError();
      const token = randomToken();
      const expiresAt = app.clock.now() + RESET_LINK_HOURS * 3_600_000;
      await app.repos.accountTokens.issuePasswordReset(user.id, hashToken(token), expiresAt);
      await app.audit(request, { action: 'user.password_reset_issue', targetType: 'user', targetId: user.id });
      const url = `${app.config.publicUrl}${RESET_PATH}?token=${token}`;
      // Sent from memory, not the outbox: the token is kept nowhere but in this email and the answer to the
      // admin, who can hand it over themselves if the mail server is down.
      const { mailer } = app.notifier;
      if (mailer.enabled) {
        const language = emailLanguage((await app.repos.notifications.user(user.id))?.language);
        mailer.send(user.email, passwordResetEmail(url, RESET_LINK_HOURS, language), messageIdFor(randomId(), app.config.publicUrl)).catch((err: unknown) => {
          request.log.warn({ userId: user.id, reason: (err as { code?: string }).code ?? 'error' }, 'password reset email not accepted');
        });
      }
      return reply.code(201).send({ url, expiresAt: isoTime(expiresAt), emailed: mailer.enabled });
    },
  );

  app.post(
    '/auth/reset',
    {
      config: { public: true },
      schema: {
        operationId: 'resetPassword',
        tags: ['auth'],
        summary: 'Set a new password with a one-time reset link; every session of the account ends',
        security: [],
        body: ResetSchema,
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { token, password } = request.body;
      const tokenHash = hashToken(token);
      if (!(await app.repos.accountTokens.findUsablePasswordReset(tokenHash))) throw new NotFoundError();
      checkPassword(password);
      const passwordHash = await hashPassword(password);
      // The link is used and the password set together; a second request with the same link gets 404.
      const userId = await app.database.transaction(async (tx) => {
        const owner = await app.repos.accountTokens.usePasswordReset(tx, tokenHash);
        if (owner) await app.repos.users.setPasswordHash(owner, passwordHash, tx);
        return owner;
      });
      if (!userId) throw new NotFoundError();
      await app.repos.sessions.deleteForUser(userId);
      app.notifier.live.endSessions(userId);
      request.actor = { type: 'user', id: userId };
      await app.audit(request, { action: 'auth.password_reset', targetType: 'user', targetId: userId });
      return reply.code(204).send(null);
    },
  );
};

export default accountRoutes;
