// The answer to a sign-in.
import { Type, type Static } from 'typebox';
import { DateTimeSchema, RoleSchema } from './common.js';

export const LoginReplySchema = Type.Object({
  token: Type.String(),
  expiresAt: DateTimeSchema,
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: RoleSchema }),
});
export type LoginReplyBody = Static<typeof LoginReplySchema>;
