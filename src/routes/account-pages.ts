// The pages behind the one-time addresses: /setup?token= (the first admin) and /reset?token= (a new
// password). An address that no longer works (used, expired, an admin exists already) gets one plain
// 404 page, whatever the reason. The forms post to /api/v1/setup and /api/v1/auth/reset.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SETUP_PATH } from '../bootstrap.js';
import { hashToken } from '../ids.js';
import { negotiateLanguage, supportedLanguage } from '../i18n/languages.js';
import { translator } from '../i18n/messages.js';
import { notUsablePage, resetPage, setupPage, type PageWords } from '../web/account/pages.js';
import { RESET_PATH, setupAddressWorks } from './accounts.js';

const PageQuerySchema = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200 })),
  lang: Type.Optional(Type.String({ maxLength: 35, description: 'en, zh-CN, es or fr: wins over Accept-Language' })),
});

/** The page's language: ?lang= when it is one of ours, else the browser's. */
function wordsFor(request: { query: { lang?: string }; headers: { 'accept-language'?: string } }): PageWords {
  const language = supportedLanguage(request.query.lang) ?? negotiateLanguage(request.headers['accept-language']);
  return { language, t: translator(language) };
}
const pageSchema = (operationId: string, summary: string) => ({
  operationId,
  tags: ['auth'],
  summary,
  security: [],
  querystring: PageQuerySchema,
  response: {
    200: { description: 'The form', content: { 'text/html': { schema: Type.String() } } },
    404: { description: 'The address does not work (used, expired, or not needed any more)', content: { 'text/html': { schema: Type.String() } } },
  },
});

const accountPages: FastifyPluginAsyncTypebox = async (app) => {
  // Nothing here may be cached or sent on: the address is the credential.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('vary', 'Accept-Language');
  });
  app.addHook('onRequest', async () => app.databaseReady());

  app.get(SETUP_PATH, { schema: pageSchema('getSetupPage', 'The page that creates the first admin, from the address in the log') }, async (request, reply) => {
    const token = request.query.token ?? '';
    const open = await setupAddressWorks(app, token);
    const words = wordsFor(request);
    return reply.code(open ? 200 : 404).type('text/html; charset=utf-8').header('content-language', words.language).send(open ? setupPage(words, token) : notUsablePage(words));
  });

  app.get(RESET_PATH, { schema: pageSchema('getPasswordResetPage', 'The page where a user sets a new password from a reset link') }, async (request, reply) => {
    const token = request.query.token ?? '';
    const usable = token !== '' && (await app.repos.accountTokens.findUsablePasswordReset(hashToken(token))) !== null;
    const words = wordsFor(request);
    return reply.code(usable ? 200 : 404).type('text/html; charset=utf-8').header('content-language', words.language).send(usable ? resetPage(words, token) : notUsablePage(words));
  });
};

export default accountPages;
