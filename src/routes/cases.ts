// Case intake and reading: open a case with photos, add photos, list, read, and serve a photo's bytes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { bodySiteByCode } from '../cases/body-sites.js';
import { FALLBACK_QUEUE, routeCase } from '../cases/routing.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { currentUser } from '../plugins/auth.js';
import { storePhotosThenCommit } from '../photos/store-photos.js';
import { PHOTO_VARIANTS, readPhotoVariant, type PhotoVariant } from '../photos/variants.js';
import type { PhotoKind } from '../vocabulary.js';
import { caseBodyFor, loadPhotoCase, loadReadableCase } from './case-loader.js';
import { BodySiteCodeSchema, CaseSchema, CaseSummarySchema, ConsentSchema, MESSAGE_MAX_LENGTH, MessageSchema, PhotoSchema } from '../schemas/cases.js';
import { toCaseSummary, toOwnMessageBody, toPhotoBody } from '../schemas/views.js';
import {
  BINARY,
  CaseStatusSchema,
  contentResponse,
  errorResponses,
  IdParamsSchema,
  isoTime,
  pageOf,
  PhotoKindSchema,
  QueueSlugSchema,
  SexSchema,
  UrgencySchema,
} from '../schemas/common.js';
import { receivePhotos, storeContext, variantContext } from './photo-upload.js';
import { plainText } from './plain-text.js';
import { parseJsonField } from './validate-json.js';

export const CaseInputSchema = Type.Object(
  {
    patientRef: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._/#-]*$',
      description: "The clinic's own opaque reference (no spaces, never a name)",
    }),
    ageYears: Type.Integer({ minimum: 0, maximum: 130 }),
    sex: SexSchema,
    fitzpatrick: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 6 }), Type.Null()])),
    bodySite: Type.String({ minLength: 1, maxLength: 200 }),
    bodySiteCode: Type.Optional(Type.Union([BodySiteCodeSchema, Type.Null()])),
    consent: Type.Optional(
      Type.Object(ConsentSchema.properties, {
        additionalProperties: false,
        description: "What the patient agreed to; left out: {teleconsultation: true, teaching: false}. teleconsultation: false is refused (400): the web app asks for it explicitly",
      }),
    ),
    durationDays: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 50_000 }), Type.Null()])),
    history: Type.String({ maxLength: 5000 }),
    question: Type.String({ minLength: 1, maxLength: 2000 }),
    urgency: Type.Optional(UrgencySchema),
    queue: Type.Optional(QueueSlugSchema),
  },
  { additionalProperties: false },
);

const KindsSchema = Type.Array(PhotoKindSchema, {
  maxItems: 100,
  description: 'One kind per photo, in their order (default overview)',
});

const PhotoFiles = Type.Array(Type.Unsafe<Buffer>(BINARY), { minItems: 1, description: 'The photos: JPEG, PNG, WebP, TIFF, HEIC/HEIF or AVIF, recognised from their bytes' });
const NewCaseForm = Type.Object({
  case: CaseInputSchema,
  photos: PhotoFiles,
  kinds: Type.Optional(KindsSchema),
});

const MorePhotosForm = Type.Object({
  photos: PhotoFiles,
  kinds: Type.Optional(KindsSchema),
  message: Type.Optional(
    Type.String({
      maxLength: MESSAGE_MAX_LENGTH,
      description: `The referrer's reply to go with the photos (at most ${MESSAGE_MAX_LENGTH} characters; trimmed, blank for none; no control characters but line breaks and tabs)`,
    }),
  ),
});

const PhotosAddedSchema = Type.Object({
  photos: Type.Array(PhotoSchema),
  message: Type.Optional(MessageSchema),
  caseStatus: CaseStatusSchema,
});

const ListQuerySchema = Type.Object(
  {
    status: Type.Optional(CaseStatusSchema),
    queue: Type.Optional(QueueSlugSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);

const PhotoQuerySchema = Type.Object(
  {
    variant: Type.Optional(
      Type.Enum(PHOTO_VARIANTS, {
        description: "'full' (default): the sanitized photo; 'display': at most 2048 px on the long side, the photo itself when no larger; 'thumb': at most 512 px",
      }),
    ),
  },
  { additionalProperties: false },
);

const READ_ACTION: Record<PhotoVariant, string> = { full: 'photo.read', display: 'photo.read_display', thumb: 'photo.read_thumb' };

function kindsFor(raw: string | undefined, count: number, fallback: PhotoKind): PhotoKind[] {
  if (count === 0) throw new BadRequestError('photos: at least one photo is required', 'VALIDATION_ERROR');
  if (raw === undefined) return Array<PhotoKind>(count).fill(fallback);
  const kinds = parseJsonField(KindsSchema, raw, 'kinds');
  if (kinds.length !== count) throw new BadRequestError(`kinds must have one entry per photo (${count})`, 'VALIDATION_ERROR');
  return kinds;
}

/** What a new case records of its body site and consent, refused (400) before any photo is stored. */
function recordFields(input: Static<typeof CaseInputSchema>) {
  const bodySiteCode = input.bodySiteCode ?? null;
  if (bodySiteCode !== null && !bodySiteByCode(bodySiteCode)) {
    throw new BadRequestError('case/bodySiteCode is not a region of the body map (a SNOMED CT concept id of its table)', 'VALIDATION_ERROR');
  }
  const consent = input.consent ?? { teleconsultation: true, teaching: false };
  if (!consent.teleconsultation) throw new BadRequestError("case/consent/teleconsultation: a case needs the patient's consent to teleconsultation", 'VALIDATION_ERROR');
  return { bodySiteCode, consentTeleconsultation: true, consentTeaching: consent.teaching };
}

const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.post(
    '/cases',
    {
      config: { roles: ['clinician'] },
      schema: {
        operationId: 'createCase',
        tags: ['cases'],
        summary: 'Open a case with its photos (sanitized before anything is stored)',
        multipart: NewCaseForm,
        response: { 201: CaseSchema, ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const upload = await receivePhotos(app, request, { allowedFields: ['case', 'kinds'] });
      const input = parseJsonField(CaseInputSchema, upload.fields.case, 'case');
      const record = recordFields(input);
      const kinds = kindsFor(upload.fields.kinds, upload.photos.length, 'overview');
      let queueSlug = input.queue ?? routeCase(input);
      if (!(await app.repos.queues.findBySlug(queueSlug))) throw new BadRequestError(`case/queue names an unknown queue: ${queueSlug}`, 'VALIDATION_ERROR');
      // A queue chosen by the routing rules that nobody reviews would hold the case for ever: it goes to
      // the general queue instead, and the timeline says why. A queue the referrer chose is kept.
      let routingReason: string | null = null;
      if (!input.queue && queueSlug !== FALLBACK_QUEUE && !(await app.repos.queues.hasActiveReviewer(queueSlug))) {
        routingReason = `Routed to ${FALLBACK_QUEUE} because the ${queueSlug} queue has no active reviewer`;
        queueSlug = FALLBACK_QUEUE;
      }

      const created = await storePhotosThenCommit(storeContext(app, request), upload.photos, kinds, (photos) =>
        app.repos.cases.create(
          {
            referrerId: user.id,
            siteId: user.siteId,
            queueSlug,
            urgency: input.urgency ?? 'routine',
            patientRef: input.patientRef,
            ageYears: input.ageYears,
            sex: input.sex,
            fitzpatrick: input.fitzpatrick ?? null,
            bodySite: input.bodySite,
            durationDays: input.durationDays ?? null,
            history: input.history,
            question: input.question,
            ...record,
          },
          photos,
          routingReason,
        ),
      );
      await app.audit(request, { action: 'case.create', targetType: 'case', targetId: created.id, caseId: created.id, detail: { queue: queueSlug, photos: upload.photos.length } });
      request.phases.lap('audit');
      const body = await caseBodyFor(app, request, created);
      request.phases.lap('body');
      return reply.code(201).send(body);
    },
  );

  app.post(
    '/cases/:id/photos',
    {
      schema: {
        operationId: 'addCasePhotos',
        tags: ['cases'],
        summary: "Add photos to one's own case, with a message if the referrer writes one",
        description:
          'One reply: the photos and the `message` are committed together or not at all, and a case waiting for information (needs_info) ' +
          'goes back to its queue once, when the whole reply is in. A message without photos goes to POST /cases/{id}/messages.',
        multipart: MorePhotosForm,
        params: IdParamsSchema,
        response: { 201: PhotosAddedSchema, ...errorResponses(400, 401, 404, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const found = await loadReadableCase(app, request, request.params.id);
      // Only the referrer adds photos; others who may read the case get 404 as if it were not there.
      if (found.referrerId !== user.id) throw new NotFoundError('Case not found');
      if (found.status === 'closed') throw new ConflictError('This case is closed: open a new case for new photos', 'CASE_CLOSED');
      const upload = await receivePhotos(app, request, { allowedFields: ['kinds', 'message'] });
      const kinds = kindsFor(upload.fields.kinds, upload.photos.length, 'overview');
      const body = plainText(upload.fields.message, { field: 'message', maxLength: MESSAGE_MAX_LENGTH, multiline: true });
      // New photos (and the message with them) answer a reviewer's request for information: the case goes back
      // to its queue in the same transaction as the photo rows.
      let replied = null as Awaited<ReturnType<typeof app.repos.reviews.referrerReply>> | null;
      const rows = await storePhotosThenCommit(storeContext(app, request), upload.photos, kinds, (photos) =>
        app.repos.cases.addPhotos(found.id, { type: 'user', id: user.id }, photos, async (tx, now) => {
          replied = await app.repos.reviews.referrerReply(tx, found.id, { id: user.id, name: user.name }, body, now);
        }),
      );
      const { case: after, change, message } = replied!;
      await app.audit(request, { action: 'case.photos_add', targetType: 'case', targetId: found.id, caseId: found.id, detail: { photos: rows.length } });
      if (message) await app.audit(request, { action: 'case.message', targetType: 'message', targetId: message.id, caseId: found.id, detail: { requestInfo: false } });
      if (change) await app.audit(request, { action: 'case.status', targetType: 'case', targetId: found.id, caseId: found.id, detail: { ...change } });
      return reply.code(201).send({
        photos: rows.map(toPhotoBody),
        ...(message ? { message: toOwnMessageBody(message, { id: user.id, name: user.name }) } : {}),
        caseStatus: after.status,
      });
    },
  );

  app.get(
    '/cases',
    {
      schema: {
        operationId: 'listCases',
        tags: ['cases'],
        summary: 'Cases: a clinician sees their own, a reviewer those of their queues, an admin all',
        querystring: ListQuerySchema,
        response: {
          200: pageOf(CaseSummarySchema),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { status, queue, limit = 50, cursor } = request.query;
      const scope = user.role === 'admin' ? {} : user.role === 'clinician' ? { referrerId: user.id } : { queues: user.queues };
      const page = await app.repos.cases.list({ ...scope, status, queue, limit, cursor });
      await app.audit(request, { action: 'case.list', detail: { count: page.items.length } });
      const now = app.clock.now();
      return { items: page.items.map((c) => toCaseSummary(c, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/cases/:id',
    {
      schema: {
        operationId: 'getCase',
        tags: ['cases'],
        summary: 'A case with its photos (metadata), opinions (blinded), messages and timeline',
        params: IdParamsSchema,
        response: { 200: CaseSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const found = await loadReadableCase(app, request, request.params.id);
      await app.audit(request, { action: 'case.read', targetType: 'case', targetId: found.id, caseId: found.id });
      // Every read is a visit, an admin's too: the reader's previous one tells their page what is new.
      const [previousVisit, body] = await Promise.all([app.repos.caseVisits.record(currentUser(request).id, found.id), caseBodyFor(app, request, found)]);
      return { ...body, lastVisitAt: previousVisit === null ? null : isoTime(previousVisit) };
    },
  );

  app.get(
    '/photos/:id',
    {
      // A trainee reads the photos of a teaching case (loadPhotoCase decides), no others.
      config: { trainees: true },
      schema: {
        operationId: 'getPhoto',
        tags: ['photos'],
        summary: 'The sanitized photo bytes (or its ≤2048 px display copy, or its ≤512 px thumbnail); every read is audited',
        params: IdParamsSchema,
        querystring: PhotoQuerySchema,
        response: { 200: contentResponse('image/jpeg', BINARY, 'The sanitized photo, its display copy or its thumbnail'), ...errorResponses(401, 404, 503) },
      },
    },
    async (request, reply) => {
      const photo = await app.repos.cases.findPhoto(request.params.id);
      if (!photo) throw new NotFoundError('Photo not found');
      await loadPhotoCase(app, request, photo.caseId).catch(() => {
        throw new NotFoundError('Photo not found');
      });
      const variant = request.query.variant ?? 'full';
      const { body, contentType, length } = await readPhotoVariant(variantContext(app, request), photo, variant);
      await app.audit(request, { action: READ_ACTION[variant], targetType: 'photo', targetId: photo.id, caseId: photo.caseId });
      return reply
        .header('content-type', contentType)
        .header('content-length', length)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .send(body);
    },
  );
};

export default caseRoutes;
