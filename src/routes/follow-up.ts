// Follow-up links, the public side: the phone page at /f/:token and its upload, for patients and parents with no
// account. Outside /api/, so the auth hook never runs here; the token itself is the only credential, and it grants
// nothing but adding `followup` photos (and a note with them) to one case. Every unusable token (unknown, expired,
// revoked, used up, or its case closed) gets the same 404 and the same error, so a link's history cannot be
// probed; the page of a link that existed also names its clinic's contact, which only its holder can reach.
// Request logs show /f/[token].
// A closed case takes no more photos: nobody would look at them, and the case's record is final.
// Photos from a link do not move the case out of `needs_info`: that question is the referrer's to answer
// (the referrer sees the photos, and replying sends the case back to the queue).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, BadRequestError, NotFoundError } from '../errors.js';
import { hashToken } from '../ids.js';
import { storePhotosThenCommit } from '../photos/store-photos.js';
import type { UsableLink } from '../repositories/follow-up-links.js';
import { PLAIN_MESSAGES, plainMessage } from '../web/follow-up/messages.js';
import { linkGonePage, resultPage, sentMessage, uploadPage } from '../web/follow-up/pages.js';
import { classifyError } from '../plugins/error-handler.js';
import { BINARY, contentResponse, errorResponses } from '../schemas/common.js';
import { receivePhotos, storeContext } from './photo-upload.js';
import { plainText } from './plain-text.js';

/** Our tokens are 43 base64url characters; anything far from that shape is not looked up at all. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

/** A note from the patient or parent with their photos: a few lines, not a letter. */
export const NOTE_MAX_LENGTH = 2000;

/** One error for every unusable link: same status, code and message whatever the reason. */
export class LinkNotUsableError extends NotFoundError {
  constructor() {
    super(PLAIN_MESSAGES.NOT_FOUND);
  }
}

export class TooManyPhotosError extends AppError {
  constructor(remaining: number) {
    super(409, 'TOO_MANY_PHOTOS', `This link takes ${remaining === 1 ? '1 more photo' : `${remaining} more photos`}: send fewer`);
  }
}

const TokenParamsSchema = Type.Object({ token: Type.String({ description: 'The secret of the link' }) });

const HTML = Type.String({ description: 'An HTML page' });

/** Errors answered as a page to a browser posting the plain form, and as the usual JSON to everyone else. */
function pageOrJsonErrors(...codes: number[]) {
  return Object.fromEntries(
    codes.map((code) => [code, { description: 'An error: JSON, or a page in plain words for a browser', content: { 'application/json': { schema: Type.Ref('Error') }, 'text/html': { schema: HTML } } }]),
  );
}

/** A browser posting the plain form (no script) gets a page back; the script and other clients get JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && request.headers['x-requested-with'] !== 'XMLHttpRequest';
}

/** The page is HTML unless the client asks for JSON only. */
function prefersJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function sendHtml(reply: FastifyReply, statusCode: number, html: string) {
  return reply.code(statusCode).type('text/html; charset=utf-8').send(html);
}

/** The routes that take a token; the page's own files are served with the web's (src/routes/web.ts). */
const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = { max: app.config.followUpRateLimitPerMinute, timeWindow: 60_000 };

  async function usableLink(token: string): Promise<UsableLink | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    return app.repos.followUpLinks.findUsable(hashToken(token));
  }

  /** The page for a token that does not work: whom to ask, when the link exists and its clinic has a contact. */
  async function gonePage(token: string): Promise<string> {
    return linkGonePage(TOKEN_SHAPE.test(token) ? await app.repos.followUpLinks.contactForDeadLink(hashToken(token)) : null);
  }

  app.addHook('onRequest', () => app.databaseReady());
  // A patient's page and its answers are never cached, indexed, or sent on as a referrer (helmet sets no-referrer).
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-robots-tag', 'noindex, nofollow');
  });

  app.get(
    '/f/:token',
    {
      config: { rateLimit },
      schema: {
        operationId: 'getFollowUpPage',
        tags: ['follow-up'],
        summary: 'The phone page to take or choose photos and send them; shows only the clinic name',
        description: 'The token is the credential: no bearer token. An unusable link is a 404 page, or a JSON error when only JSON is accepted.',
        security: [],
        params: TokenParamsSchema,
        response: { 200: contentResponse('text/html', HTML, 'The page'), ...pageOrJsonErrors(404), ...errorResponses(429, 503) },
      },
    },
    async (request, reply) => {
      const link = await usableLink(request.params.token);
      if (!link) {
        if (prefersJson(request)) throw new LinkNotUsableError();
        return sendHtml(reply, 404, await gonePage(request.params.token));
      }
      request.actor = { type: 'link', id: link.id };
      await app.audit(request, { action: 'follow_up_link.open', targetType: 'follow_up_link', targetId: link.id, caseId: link.caseId });
      return sendHtml(
        reply,
        200,
        uploadPage({ siteName: link.siteName, contact: link.siteContact, action: `/f/${request.params.token}/photos`, remaining: link.remaining, noteMaxLength: NOTE_MAX_LENGTH }),
      );
    },
  );

  // Anything else under /f/ (a token longer than the router takes, an extra path segment) is just another
  // unusable link, and gets the same answer rather than the generic 404.
  app.route({
    method: ['GET', 'POST'],
    url: '/f/*',
    config: { rateLimit },
    schema: { hide: true },
    handler: async (request, reply) => {
      if (request.method === 'GET' ? prefersJson(request) : !wantsHtml(request)) throw new LinkNotUsableError();
      return sendHtml(reply, 404, linkGonePage());
    },
  });

  app.post(
    '/f/:token/photos',
    {
      config: { rateLimit },
      schema: {
        operationId: 'sendFollowUpPhotos',
        tags: ['follow-up'],
        summary: 'Send follow-up photos with a link: they join the case as `followup`, through the same sanitizing pipeline',
        description:
          'The token is the credential: no bearer token. A browser form without script (Accept: text/html) gets HTML pages back, success and errors alike. ' +
          "A `note` joins the case's discussion as a message from the link (authorType `link`), committed with the photos or not at all; a note needs at least one photo.",
        security: [],
        multipart: Type.Object({
          photos: Type.Array(Type.Unsafe<Buffer>(BINARY), { minItems: 1, description: 'One or more photos' }),
          note: Type.Optional(
            Type.String({
              maxLength: NOTE_MAX_LENGTH,
              description: `A note for the clinic from the patient or parent (at most ${NOTE_MAX_LENGTH} characters; trimmed, blank for none; no control characters but line breaks and tabs)`,
            }),
          ),
        }),
        params: TokenParamsSchema,
        response: {
          201: {
            description: 'The photos were received',
            content: {
              'application/json': { schema: Type.Object({ received: Type.Integer(), remaining: Type.Integer() }) },
              'text/html': { schema: HTML },
            },
          },
          ...pageOrJsonErrors(400, 404, 409, 413, 415, 422, 429, 503),
        },
      },
      // The no-script form shows the error in plain words on a page; everyone else gets the shared JSON error.
      errorHandler: (error: FastifyError, request, reply) => {
        if (!wantsHtml(request)) throw error;
        const { statusCode, code } = classifyError(error);
        if (statusCode >= 500) request.log.error({ err: error }, 'follow-up upload failed');
        const page =
          code === 'NOT_FOUND'
            ? gonePage(request.params.token).catch(() => linkGonePage())
            : Promise.resolve(resultPage({ siteName: null, ok: false, message: plainMessage(code, statusCode), backHref: `/f/${request.params.token}` }));
        void page.then((html) => sendHtml(reply, statusCode, html));
      },
    },
    async (request, reply) => {
      const link = await usableLink(request.params.token);
      if (!link) throw new LinkNotUsableError();
      request.actor = { type: 'link', id: link.id };

      // The allowance is checked as the photos arrive, before any photo beyond it is decoded.
      const upload = await receivePhotos(app, request, {
        allowedFields: ['note'],
        maxPhotos: { count: link.remaining, tooMany: () => new TooManyPhotosError(link.remaining) },
      });
      const note = plainText(upload.fields.note, { field: 'note', maxLength: NOTE_MAX_LENGTH, multiline: true });
      const count = upload.photos.length;
      // The link is for photos, and its allowance counts photos: a note alone would let whoever holds the link
      // write to the case without limit, so a note rides with photos only.
      if (count === 0) throw new BadRequestError('photos: at least one photo is required', 'VALIDATION_ERROR');

      let remaining = link.remaining - count;
      let noteId: string | null = null;
      const kinds = Array(count).fill('followup' as const);
      await storePhotosThenCommit(storeContext(app, request), upload.photos, kinds, (photos) =>
        app.repos.cases.addPhotos(link.caseId, { type: 'link', id: link.id }, photos, async (tx, now) => {
          // Counted in the same transaction as the rows: a link expired, revoked or filled by a concurrent
          // upload meanwhile (on any instance) aborts it, and the stored objects are removed again.
          const counted = await app.repos.followUpLinks.countPhotos(tx, link.id, count);
          if (!counted.ok) throw counted.reason === 'gone' ? new LinkNotUsableError() : new TooManyPhotosError(counted.remaining);
          remaining = counted.remaining;
          if (note !== null) noteId = (await app.repos.reviews.addLinkNote(tx, link.caseId, link.id, note, now)).id;
        }),
      );
      await app.audit(request, {
        action: 'case.followup_photos_add',
        targetType: 'case',
        targetId: link.caseId,
        caseId: link.caseId,
        detail: { photos: count, link: link.id },
      });
      // The note's existence is audited, never its words.
      if (noteId !== null) await app.audit(request, { action: 'case.message', targetType: 'message', targetId: noteId, caseId: link.caseId, detail: { link: link.id } });
      if (wantsHtml(request)) {
        return sendHtml(
          reply,
          201,
          resultPage({
            siteName: link.siteName,
            ok: true,
            message: sentMessage(count, remaining, link.siteName, note !== null),
            backHref: remaining > 0 ? `/f/${request.params.token}` : null,
          }),
        );
      }
      return reply.code(201).send({ received: count, remaining });
    },
  );
};

export default followUpRoutes;
