// Users and sites in responses. No response ever carries a password hash: the schema has no field for it.
import { Type, type Static } from 'typebox';
import { DEFAULT_EMAIL_PREFERENCES, EMAIL_KINDS, LANGUAGES } from '../vocabulary.js';
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

export const LanguageSchema = Type.Enum(LANGUAGES);

const emailChoice = (kind: string, description: string, optional: boolean) => {
  const schema = Type.Boolean({ description: `${description} (default ${DEFAULT_EMAIL_PREFERENCES[kind as keyof typeof DEFAULT_EMAIL_PREFERENCES]})` });
  return optional ? Type.Optional(schema) : schema;
};
const EMAIL_CHOICES: Record<(typeof EMAIL_KINDS)[number] | 'digest', string> = {
  newCase: 'A new case in one of my queues (reviewers)',
  answered: 'My case was answered (referrers)',
  needsInfo: 'A specialist asks me for information (referrers)',
  reply: 'The referrer replied on a case I hold or reviewed (reviewers)',
  followUp: 'Follow-up photos arrived on my case (referrers)',
  overdue: 'A case passed its deadline (reviewers of its queue, admins)',
  digest: 'One email a day with all of the above instead of one each (overdue cases still at once)',
};
const emailChoices = (optional: boolean) =>
  Type.Object(Object.fromEntries(Object.entries(EMAIL_CHOICES).map(([k, d]) => [k, emailChoice(k, d, optional)])), { additionalProperties: false });

export const MeSchema = Type.Intersect([
  UserSchema,
  Type.Object({
    language: Type.Union([LanguageSchema, Type.Null()], { description: "The user's language; null: the browser's" }),
    notifications: Type.Object({ email: emailChoices(false) }),
  }),
]);

export const UpdateMeSchema = Type.Object(
  {
    language: Type.Optional(LanguageSchema),
    notifications: Type.Optional(Type.Object({ email: Type.Optional(emailChoices(true)) }, { additionalProperties: false })),
  },
  { additionalProperties: false, minProperties: 1 },
);
