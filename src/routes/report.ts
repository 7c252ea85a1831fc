// GET /api/v1/cases/:id/report.pdf: the printable consult report for the clinic's record, once the case is
// answered or closed. Same access and blinding as GET /api/v1/cases/:id; every read is audited.
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConflictError, NotFoundError } from '../errors.js';
import { currentUser } from '../plugins/auth.js';
import { printCopyKey, renderConsultReport } from '../reports/consult-report.js';
import type { CaseStatus } from '../vocabulary.js';
import { loadCaseDetails, loadReadableCase } from './case-loader.js';
import { BINARY, contentResponse, errorResponses, IdParamsSchema } from '../schemas/common.js';
import { toCaseBody } from '../schemas/views.js';

const REPORTABLE: readonly CaseStatus[] = ['answered', 'closed'];

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/cases/:id/report.pdf',
    {
      schema: {
        operationId: 'getCaseReport',
        tags: ['cases'],
        summary: 'A printable consult report (PDF): case details, the answer with any dissent, the opinions and the photos',
        description: 'Once the case is answered or closed (409 CASE_NOT_ANSWERED before). Shows what the reader may see of the case, as GET /cases/{id} does.',
        params: IdParamsSchema,
        response: {
          200: contentResponse('application/pdf', BINARY, 'The consult report'),
          ...errorResponses(401, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const found = await loadReadableCase(app, request, request.params.id);
      if (!REPORTABLE.includes(found.status)) throw new ConflictError('The consult report is ready once the case is answered or closed', 'CASE_NOT_ANSWERED');
      const [details, site] = await Promise.all([loadCaseDetails(app, found), found.siteId ? app.repos.sites.findById(found.siteId) : null]);
      const stored = new Map(details.photos.map((photo) => [photo.id, photo]));
      const pdf = await renderConsultReport({
        body: toCaseBody(currentUser(request), found, details, app.clock.now()),
        siteName: site?.name ?? null,
        printedAt: app.clock.now(),
        async loadPhoto(photoId) {
          const photo = stored.get(photoId)!;
          try {
            return await readAll(await app.store.get(printCopyKey(photo)));
          } catch (err) {
            // A lost object is shown as such in the report; a store that does not answer fails the request.
            if (!(err instanceof NotFoundError)) throw err;
            request.log.error({ photoId }, 'photo object missing from the store');
            return null;
          }
        },
      });
      await app.audit(request, { action: 'case.read_report', targetType: 'case', targetId: found.id, caseId: found.id, detail: { photos: details.photos.length } });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="consult-report-${found.id}.pdf"`)
        .header('x-content-type-options', 'nosniff')
        .send(pdf);
    },
  );
};

export default reportRoutes;
