// Follow-up links, the public side: the phone page at /f/:token and its upload, for patients and parents with no
// account. Outside /api/, so the auth hook never runs here; the token itself is the only credential, and it grants
// nothing but adding `followup` photos (and a note with them) to one case. Every unusable token (unknown, expired,
// revoked, used up, or its case closed) gets the same 404 and the same error, so a link's history cannot be
// probed; the page of a link that existed also names its clinic's contact, which only its holder can reach.
// Request logs show /f/[token].
// Every page speaks the parent's language: ?lang= (a choice made on the page, carried on to the form and the
// pages after it) wins, then the language the link was made in, then the browser's Accept-Language.
// A closed case takes no more photos: nobody would look at them, and the case's record is final.
// Photos from a link do not move the case out of `needs_info`: that question is the referrer's to answer
// (the referrer sees the photos, and replying sends the case back to the queue).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, BadRequestError, NotFoundError } from '../errors.js';
import { negotiateLanguage, supportedLanguage } from '../i18n/languages.js';
import { translator } from '../i18n/messages.js';
import { hashToken } from '../ids.js';
import { storePhotosThenCommit } from '../photos/store-photos.js';
import type { LinkPageFacts, UsableLink } from '../repositories/follow-up-links.js';
import type { Language } from '../vocabulary.js';
import { LINK_NOT_USABLE_MESSAGE, plainMessage } from '../web/follow-up/messages.js';
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
    super(LINK_NOT_USABLE_MESSAGE);
  }
}

export class TooManyPhotosError extends AppError {
  constructor(remaining: number) {
    super(409, 'TOO_MANY_PHOTOS', `This link takes ${remaining === 1 ? '1 more photo' : `${remaining} more photos`}: send fewer`);
  }
}

const TokenParamsSchema = Type.Object({ token: Type.String({ description: 'The secret of the link' }) });

const LanguageQuerySchema = Type.Object({
  // Repeated, the first counts: a link pasted twice over is still a page, not an error.
  lang: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String())], {
      description: "The page's language, chosen on the page: en, zh-CN, es or fr (another tag is read as the closest of these, or ignored)",
    }),
  ),
});

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

function sendHtml(reply: FastifyReply, statusCode: number, html: string, language: Language) {
  return reply.code(statusCode).type('text/html; charset=utf-8').header('content-language', language).header('vary', 'Accept-Language').send(html);
}

/** ?lang= when it names one of our languages; anything else there is ignored, never an error. */
function chosenLanguage(request: FastifyRequest): Language | null {
  const { lang } = (request.query ?? {}) as { lang?: unknown };
  const first: unknown = Array.isArray(lang) ? lang[0] : lang;
  return typeof first === 'string' ? supportedLanguage(first) : null;
}

function pageLanguage(request: FastifyRequest, linkLanguage: Language | null): Language {
  return chosenLanguage(request) ?? linkLanguage ?? negotiateLanguage(request.headers['accept-language']);
}

/** The query that keeps a language chosen on the page for the form's action and the links back to the page. */
function keptLanguage(request: FastifyRequest): string {
  const chosen = chosenLanguage(request);
  return chosen ? `?lang=${chosen}` : '';
}

/** The routes that take a token; the page's own files are served with the web's (src/routes/web.ts). */
const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = { max: app.config.followUpRateLimitPerMinute, timeWindow: 60_000 };

  async function usableLink(token: string): Promise<UsableLink | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    return app.repos.followUpLinks.findUsable(hashToken(token));
  }

  /** What the pages of a token may say beyond the usable page (its link's language, whom to ask); null when unknown. */
  async function pageFacts(token: string): Promise<LinkPageFacts | null> {
    return TOKEN_SHAPE.test(token) ? app.repos.followUpLinks.pageFacts(hashToken(token)) : null;
  }

  /** The page for a token that does not work: whom to ask, when the link exists and its clinic has a contact. */
  async function sendGonePage(request: FastifyRequest, reply: FastifyReply, token: string, facts?: LinkPageFacts | null) {
    const found = facts === undefined ? await pageFacts(token) : facts;
    const language = pageLanguage(request, found?.language ?? null);
    return sendHtml(reply, 404, linkGonePage(language, found?.clinic ?? null), language);
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
        querystring: LanguageQuerySchema,
        response: { 200: contentResponse('text/html', HTML, 'The page'), ...pageOrJsonErrors(404), ...errorResponses(429, 503) },
      },
    },
    async (request, reply) => {
      const link = await usableLink(request.params.token);
      if (!link) {
        if (prefersJson(request)) throw new LinkNotUsableError();
        return sendGonePage(request, reply, request.params.token);
      }
      request.actor = { type: 'link', id: link.id };
      await app.audit(request, { action: 'follow_up_link.open', targetType: 'follow_up_link', targetId: link.id, caseId: link.caseId });
      const page = `/f/${request.params.token}`;
      const language = pageLanguage(request, link.language);
      return sendHtml(
        reply,
        200,
        uploadPage({
          language,
          switchBase: '',
          siteName: link.siteName,
          contact: link.siteContact,
          action: `${page}/photos${keptLanguage(request)}`,
          remaining: link.remaining,
          noteMaxLength: NOTE_MAX_LENGTH,
        }),
        language,
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
      return sendGonePage(request, reply, '', null);
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
        querystring: LanguageQuerySchema,
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
        const { token } = request.params;
        // The database may be what failed: then the page goes by ?lang= and the browser alone.
        void pageFacts(token)
          .catch(() => null)
          .then((facts) => {
            if (code === 'NOT_FOUND') return sendGonePage(request, reply, token, facts);
            const language = pageLanguage(request, facts?.language ?? null);
            const page = `/f/${token}`;
            const message = plainMessage(translator(language), code, statusCode);
            return sendHtml(reply, statusCode, resultPage({ language, switchBase: page, siteName: null, ok: false, message, backHref: `${page}${keptLanguage(request)}` }), language);
          });
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
        const language = pageLanguage(request, link.language);
        const page = `/f/${request.params.token}`;
        return sendHtml(
          reply,
          201,
          resultPage({
            language,
            switchBase: page,
            siteName: link.siteName,
            ok: true,
            message: sentMessage(language, count, remaining, link.siteName, note !== null),
            backHref: remaining > 0 ? `${page}${keptLanguage(request)}` : null,
          }),
          language,
        );
      }
      return reply.code(201).send({ received: count, remaining });
    },
  );
};

export default followUpRoutes;
