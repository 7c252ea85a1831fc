// Users and sites in responses. No response ever carries a password hash: the schema has no field for it.
import { Type, type Static } from 'typebox';
import { DateTimeSchema, RoleSchema, SiteTierSchema } from './common.js';

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  siteId: Type.Union([Type.String(), Type.Null()]),
  queues: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  createdAt: DateTimeSchema,
});
export type UserBody = Static<typeof UserSchema>;

export const SiteSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tier: SiteTierSchema,
  contact: Type.Union([Type.String(), Type.Null()], { description: 'A phone number or an address the follow-up page shows when a link no longer works' }),
  createdAt: DateTimeSchema,
});
export type SiteBody = Static<typeof SiteSchema>;
