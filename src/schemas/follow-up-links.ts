// Follow-up links in responses: the token only once, at creation; afterwards only the link's state.
import { Type, type Static } from 'typebox';
import { DateTimeSchema } from './common.js';

export const CreatedLinkSchema = Type.Object({
  id: Type.String(),
  url: Type.String({ description: 'The link to give the patient: shown once, never again' }),
  token: Type.String({ description: 'The secret part of the link: shown once, stored only as a hash' }),
  expiresAt: DateTimeSchema,
  maxPhotos: Type.Integer(),
});

export const LinkSchema = Type.Object({
  id: Type.String(),
  createdBy: Type.String(),
  createdAt: DateTimeSchema,
  expiresAt: DateTimeSchema,
  maxPhotos: Type.Integer(),
  photosReceived: Type.Integer(),
  revokedAt: Type.Union([DateTimeSchema, Type.Null()]),
  state: Type.Enum(['active', 'expired', 'revoked', 'used']),
});
export type CreatedLinkBody = Static<typeof CreatedLinkSchema>;
export type LinkBody = Static<typeof LinkSchema>;
