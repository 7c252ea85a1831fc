// The audit trail for admins: a page of events newest first (GET /audit), or the same selection as a CSV
// file for a spreadsheet (GET /audit.csv).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BadRequestError } from '../errors.js';
import type { AuditEventView, AuditFilter } from '../repositories/audit.js';
import { AuditEventSchema, AuditFilterProperties, type AuditEventBody } from '../schemas/audit.js';
import { errorResponses, isoTime, pageOf } from '../schemas/common.js';

const AuditQuerySchema = Type.Object(
  {
    ...AuditFilterProperties,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  },
  { additionalProperties: false },
);
const AuditExportQuerySchema = Type.Object(AuditFilterProperties, { additionalProperties: false });

/** The most rows one export holds, newest first; `X-Export-Truncated: true` says when there were more. */
const EXPORT_MAX_ROWS = 50_000;
const EXPORT_PAGE = 2_000;

/** The CSV columns, named as the JSON fields they hold. */
const CSV_COLUMNS = ['at', 'actorType', 'actorName', 'actorEmail', 'action', 'targetType', 'targetId', 'caseRef', 'caseId', 'ip', 'requestId', 'detail', 'id'] as const satisfies readonly (keyof AuditEventBody)[];

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. A cell a
 * spreadsheet would run as a formula (= + - @, or a tab or carriage return that hides one) starts with a
 * quote mark, so an actor named "=HYPERLINK(…)" stays text.
 */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function auditBody(e: AuditEventView): AuditEventBody {
  return { ...e, at: isoTime(e.at) };
}

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The repository's filter from the query, times parsed (a date-time JavaScript cannot read is a 400). */
  function filterOf(query: { caseId?: string; actor?: string; action?: string; from?: string; to?: string; q?: string }): AuditFilter {
    const time = (value: string | undefined, field: string) => {
      if (value === undefined) return undefined;
      const ms = Date.parse(value);
      if (!Number.isFinite(ms)) throw new BadRequestError(`querystring/${field} must be a date-time`, 'VALIDATION_ERROR');
      return ms;
    };
    return { caseId: query.caseId, actor: query.actor, action: query.action, from: time(query.from, 'from'), to: time(query.to, 'to'), q: query.q };
  }

  app.get(
    '/audit',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'Audit events, newest first',
        querystring: AuditQuerySchema,
        response: {
          200: pageOf(AuditEventSchema),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { limit = 100, cursor } = request.query;
      const page = await app.repos.audit.list({ ...filterOf(request.query), limit, cursor: cursor === undefined ? undefined : Number(cursor) });
      return {
        items: page.items.map(auditBody),
        nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
      };
    },
  );

  app.get(
    '/audit.csv',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'exportAuditEvents',
        tags: ['audit'],
        summary: `The events GET /audit selects, newest first, as CSV (at most ${EXPORT_MAX_ROWS} rows)`,
        querystring: AuditExportQuerySchema,
        response: {
          200: {
            description: `CSV (RFC 4180, UTF-8 with a byte order mark, CRLF), a header row of the JSON field names: ${CSV_COLUMNS.join(', ')}. A cell that would start with = + - or @ (a formula to a spreadsheet; ids may start with -) gets a leading quote mark.`,
            headers: {
              // (@fastify/swagger wraps each header's schema into {description, schema})
              'Content-Disposition': { type: 'string', description: 'attachment; filename="audit-<date>.csv"' },
              'X-Export-Truncated': { type: 'string', enum: ['true', 'false'], description: `true when more than ${EXPORT_MAX_ROWS} events matched: only the newest are in the file` },
            },
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const filter = filterOf(request.query);
      const lines = [CSV_COLUMNS.join(',')];
      let cursor: number | undefined;
      let truncated = false;
      // Page by page through the same query as the list, so the file holds exactly what the list shows.
      for (;;) {
        const room = EXPORT_MAX_ROWS - (lines.length - 1);
        const page = await app.repos.audit.list({ ...filter, limit: Math.min(EXPORT_PAGE, room), cursor });
        for (const event of page.items) {
          const body = auditBody(event);
          lines.push(CSV_COLUMNS.map((column) => csvCell(body[column])).join(','));
        }
        if (page.nextCursor === null) break;
        if (lines.length - 1 >= EXPORT_MAX_ROWS) {
          truncated = true;
          break;
        }
        cursor = page.nextCursor;
      }
      const rows = lines.length - 1;
      await app.audit(request, {
        action: 'audit.export',
        // The filters, but not the person searched for: a name is not the kind of detail the trail keeps.
        detail: { rows, truncated, filter: { caseId: filter.caseId, actor: filter.actor, action: filter.action, from: filter.from, to: filter.to, byPerson: filter.q !== undefined } },
      });
      const date = isoTime(app.clock.now()).slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${date}.csv"`)
        .header('x-export-truncated', String(truncated))
        .send(`\uFEFF${lines.join('\r\n')}\r\n`);
    },
  );
};

export default auditRoutes;
