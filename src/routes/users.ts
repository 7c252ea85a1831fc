// User administration (admin only). No response ever carries a password hash: the schema has no field for it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hashPassword } from '../auth/passwords.js';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../auth/password-policy.js';
import { BadRequestError, ConflictError, NotFoundError, WeakPasswordError } from '../errors.js';
import { errorResponses, IdParamsSchema, IdSchema, QueueSlugSchema, RoleSchema } from '../schemas/common.js';
import { UserSchema } from '../schemas/users.js';
import { toUserBody } from '../schemas/views.js';

const CreateUserSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: RoleSchema,
    password: Type.String({
      minLength: MIN_PASSWORD_LENGTH,
      maxLength: 1024,
      description: `At least ${MIN_PASSWORD_LENGTH} characters, not blank, not one character or a short word repeated, not a row of the keyboard, not a common password`,
    }),
    siteId: Type.Optional(Type.Union([IdSchema, Type.Null()])),
    queues: Type.Optional(Type.Array(QueueSlugSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

const UpdateUserSchema = Type.Object(
  {
    disabled: Type.Optional(Type.Boolean()),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    queues: Type.Optional(Type.Array(QueueSlugSchema, { maxItems: 50 })),
    role: Type.Optional(RoleSchema),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    siteId: Type.Optional(Type.Union([IdSchema, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function checkReferences(input: { siteId?: string | null; queues?: string[] }) {
    if (input.siteId && !(await app.repos.sites.findById(input.siteId))) {
      throw new BadRequestError('body/siteId names no known site', 'VALIDATION_ERROR');
    }
    for (const slug of input.queues ?? []) {
      if (!(await app.repos.queues.findBySlug(slug))) {
        throw new BadRequestError(`body/queues names an unknown queue: ${slug}`, 'VALIDATION_ERROR');
      }
    }
  }

  app.post(
    '/users',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'createUser',
        tags: ['users'],
        summary: 'Create a user',
        body: CreateUserSchema,
        response: { 201: UserSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const weak = passwordProblem(body.password);
      if (weak) throw new WeakPasswordError(weak);
      await checkReferences(body);
      if (await app.repos.users.emailExists(body.email)) throw new ConflictError('A user with this email already exists', 'EMAIL_TAKEN');
      const user = await app.repos.users.create({
        email: body.email,
        name: body.name,
        role: body.role,
        siteId: body.siteId ?? null,
        passwordHash: await hashPassword(body.password),
        queues: body.queues ?? [],
      });
      await app.audit(request, { action: 'user.create', targetType: 'user', targetId: user.id, detail: { role: user.role } });
      return reply.code(201).send(toUserBody(user));
    },
  );

  app.get(
    '/users',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'List users',
        response: { 200: Type.Array(UserSchema), ...errorResponses(401, 403) },
      },
    },
    async () => (await app.repos.users.list()).map(toUserBody),
  );

  app.patch(
    '/users/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'updateUser',
        tags: ['users'],
        summary: 'Change a user: name, email, site, role, queues; disable or enable',
        params: IdParamsSchema,
        body: UpdateUserSchema,
        response: { 200: UserSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const changes = request.body;
      const existing = await app.repos.users.findById(request.params.id);
      if (!existing) throw new NotFoundError();
      await checkReferences(changes);
      if (changes.email !== undefined && changes.email.trim().toLowerCase() !== existing.email && (await app.repos.users.emailExists(changes.email))) {
        throw new ConflictError('A user with this email already exists', 'EMAIL_TAKEN');
      }
      const losesAdmin = existing.role === 'admin' && !existing.disabled && (changes.disabled === true || (changes.role && changes.role !== 'admin'));
      if (losesAdmin && (await app.repos.users.countActiveAdmins()) <= 1) {
        throw new ConflictError('The last active admin cannot be disabled or demoted', 'LAST_ADMIN');
      }
      const user = (await app.repos.users.update(existing.id, changes))!;
      // A disabled account or a changed role must not keep working through old tokens.
      if (changes.disabled === true || (changes.role && changes.role !== existing.role)) {
        await app.repos.sessions.deleteForUser(user.id);
        app.notifier.live.endSessions(user.id);
      } else if (changes.queues) {
        // Their open streams were filtered by the old queues: they reconnect (and resume) with the new ones.
        app.notifier.live.endSessions(user.id);
      }
      await app.audit(request, {
        action: 'user.update',
        targetType: 'user',
        targetId: user.id,
        detail: { fields: Object.keys(changes).sort(), ...(changes.role ? { role: changes.role } : {}), ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}) },
      });
      return toUserBody(user);
    },
  );
};

export default userRoutes;
