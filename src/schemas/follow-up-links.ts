// Follow-up links in responses: the token only once, at creation; afterwards only the link's status.
import { Type, type Static } from 'typebox';
import { DateTimeSchema } from './common.js';
import { LanguageSchema } from './users.js';

const LinkLanguageSchema = Type.Union([LanguageSchema, Type.Null()], { description: "The language of the parent's page; null: the browser's" });

export const CreatedLinkSchema = Type.Object({
  id: Type.String(),
  url: Type.String({ description: 'The link to give the patient: shown once, never again' }),
  token: Type.String({ description: 'The secret part of the link: shown once, stored only as a hash' }),
  expiresAt: DateTimeSchema,
  maxPhotos: Type.Integer(),
  language: LinkLanguageSchema,
});

export const LinkSchema = Type.Object({
  id: Type.String(),
  createdBy: Type.String(),
  createdAt: DateTimeSchema,
  expiresAt: DateTimeSchema,
  maxPhotos: Type.Integer(),
  photosReceived: Type.Integer(),
  revokedAt: Type.Union([DateTimeSchema, Type.Null()]),
  language: LinkLanguageSchema,
  status: Type.Enum(['active', 'used', 'expired', 'revoked'], {
    description: 'revoked, else expired, else used (all the photos it allows received), else active. A closed case takes no photos through any link',
  }),
});
export type CreatedLinkBody = Static<typeof CreatedLinkSchema>;
export type LinkBody = Static<typeof LinkSchema>;
