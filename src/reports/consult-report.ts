// The consult report: the case as its reader may see it (the body of GET /cases/:id, blinding included),
// printed for the clinic's record with pdfkit. It holds no more identifying data than the case does, and
// none in the file's metadata: the Info dictionary says only what the file is and when it was printed.
import PDFDocument from 'pdfkit';
import { DISPLAY_MAX_SIDE } from '../photos/sanitize.js';
import type { CaseBody } from '../schemas/cases.js';
import type { Diagnosis, Disposition, PhotoKind, Sex } from '../vocabulary.js';
import { reportFonts, textRuns, UNPRINTABLE, type FontStyle, type ReportFonts } from './report-fonts.js';

export const SERVICE_NAME = 'Skin consult';
export const REPORT_TITLE = 'Consult report';

/**
 * The stored copy a printed page needs: the display copy, or the photo itself when it is no larger than one.
 * A larger photo stored before display copies existed prints from its thumbnail rather than its full
 * resolution, which can be tens of megabytes and would only be scaled down to a few centimetres.
 */
export function printCopyKey(photo: { objectKey: string; thumbKey: string; displayKey: string | null; width: number; height: number }): string {
  if (photo.displayKey) return photo.displayKey;
  return Math.max(photo.width, photo.height) <= DISPLAY_MAX_SIDE ? photo.objectKey : photo.thumbKey;
}

export interface ConsultReportInput {
  /** The case as the reader may see it. */
  body: CaseBody;
  siteName: string | null;
  printedAt: number;
  /** A photo's JPEG bytes at a printable size, or null when the store has lost them. Called one photo at a time. */
  loadPhoto(photoId: string): Promise<Buffer | null>;
}

const DISPOSITION_WORDS: Record<Disposition, string> = {
  reassure: 'Reassure',
  'treat-locally': 'Treat locally',
  biopsy: 'Biopsy',
  'refer-in-person': 'Refer in person',
  'urgent-referral': 'Urgent referral',
};

const KIND_WORDS: Record<PhotoKind, string> = { overview: 'Overview', closeup: 'Close-up', dermoscopy: 'Dermoscopy', followup: 'Follow-up' };
const SEX_WORDS: Record<Sex, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };
const FITZPATRICK = ['I', 'II', 'III', 'IV', 'V', 'VI'];
const CODE_SYSTEMS = { icd10: 'ICD-10', snomed: 'SNOMED CT' } as const;

const MARGIN = 50;
const GREY = '#555555';
const RULE = '#999999';
const SIZE = { title: 18, section: 13, body: 10, small: 8 } as const;
const PHOTO_GAP = 14;
const PHOTO_HEIGHT = 210;
/** Room under a row of photos for their captions (two short lines). */
const PHOTO_CAPTION = 34;

/** "2026-03-01 14:05 UTC": the service does not know the clinic's time zone, so the report says which it uses. */
function printedTime(iso: string | number): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function diagnosisText(d: Diagnosis): string {
  return d.code ? `${d.text} (${d.system ? `${CODE_SYSTEMS[d.system]} ` : ''}${d.code})` : d.text;
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function lastEntry(body: CaseBody, status: string): string | null {
  return body.timeline.filter((e) => e.status === status).at(-1)?.at ?? null;
}

type TextOptions = PDFKit.Mixins.TextOptions;

/** pdfkit with the report's fonts: every piece of text goes through `text`, which picks a font per run. */
class ReportWriter {
  /** Characters no embedded font can print, shown as U+FFFD. */
  unprintable = 0;
  readonly width: number;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly fonts: ReportFonts,
  ) {
    for (const style of ['regular', 'bold'] as const) for (const font of fonts[style]) doc.registerFont(font.name, font.source);
    this.width = doc.page.width - 2 * MARGIN;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Writes the text at the cursor; `continued` carries the line on to the next call (e.g. a label, then its value). */
  text(value: string, style: FontStyle, size: number, options: TextOptions = {}): void {
    const { runs, unprintable } = textRuns(this.fonts[style], value === '' ? ' ' : value);
    this.unprintable += unprintable;
    this.doc.fontSize(size);
    runs.forEach((run, i) => this.doc.font(run.font).text(run.text, { ...options, continued: i < runs.length - 1 || options.continued === true }));
  }

  /** "Label: value" with the label in bold, wrapping within the given width. */
  field(label: string, value: string, options: TextOptions = {}): void {
    this.text(`${label}: `, 'bold', SIZE.body, { ...options, continued: true });
    this.text(value, 'regular', SIZE.body, options);
  }

  /** Starts a new page unless `height` points still fit on this one. */
  keepTogether(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  section(title: string): void {
    this.keepTogether(70);
    this.doc.moveDown(0.8);
    this.text(title, 'bold', SIZE.section, { width: this.width });
    const y = this.doc.y + 2;
    this.doc.moveTo(MARGIN, y).lineTo(MARGIN + this.width, y).lineWidth(0.5).strokeColor(RULE).stroke();
    this.doc.moveDown(0.5);
  }

  /**
   * Draws what `write` writes inside a frame, on every page it runs over: the frame is drawn afterwards,
   * page by page, since how far the text runs is known only once it is written.
   */
  framed(write: (x: number, width: number) => void, padding = 10): void {
    const doc = this.doc;
    const pageIndex = () => doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
    const parts: { page: number; top: number; bottom: number }[] = [];
    let top = doc.y;
    const onPage = () => {
      parts.push({ page: pageIndex() - 1, top, bottom: this.bottom });
      top = doc.page.margins.top - padding / 2;
    };
    doc.on('pageAdded', onPage);
    doc.y += padding;
    doc.x = MARGIN + padding;
    write(MARGIN + padding, this.width - 2 * padding);
    doc.off('pageAdded', onPage);
    parts.push({ page: pageIndex(), top, bottom: doc.y + padding / 2 });
    const last = pageIndex();
    for (const part of parts) {
      doc.switchToPage(part.page);
      doc.rect(MARGIN, part.top, this.width, part.bottom - part.top).lineWidth(1.2).strokeColor('#333333').stroke();
    }
    doc.switchToPage(last);
    doc.x = MARGIN;
    doc.y += padding;
  }
}

function header(w: ReportWriter, input: ConsultReportInput): void {
  const { doc } = w;
  const { body } = input;
  w.text(SERVICE_NAME, 'regular', SIZE.body, { width: w.width, characterSpacing: 0.5 });
  w.text(REPORT_TITLE, 'bold', SIZE.title, { width: w.width });
  doc.moveDown(0.4);
  const top = doc.y;
  const column = (w.width - 20) / 2;
  const answered = lastEntry(body, 'answered');
  const closed = lastEntry(body, 'closed');
  doc.x = MARGIN;
  w.field('Case', body.id, { width: column });
  w.field('Site', input.siteName ?? 'No site recorded', { width: column });
  w.field('Referrer', body.referrer.name, { width: column });
  w.field('Queue', body.queue, { width: column });
  w.field('Urgency', capitalized(body.urgency), { width: column });
  const leftEnd = doc.y;
  doc.x = MARGIN + column + 20;
  doc.y = top;
  w.field('Sent', printedTime(body.createdAt), { width: column });
  w.field('Answered', answered ? printedTime(answered) : 'Not answered', { width: column });
  if (closed) w.field('Closed', printedTime(closed), { width: column });
  w.field('Printed', printedTime(input.printedAt), { width: column });
  doc.x = MARGIN;
  doc.y = Math.max(leftEnd, doc.y);
}

function clinicalDetails(w: ReportWriter, body: CaseBody): void {
  w.section('Clinical details');
  const options = { width: w.width, paragraphGap: 2 };
  w.field('Patient reference', body.patientRef, options);
  w.field('Age', `${body.ageYears} years`, options);
  w.field('Sex', SEX_WORDS[body.sex], options);
  w.field('Fitzpatrick skin type', body.fitzpatrick ? (FITZPATRICK[body.fitzpatrick - 1] ?? String(body.fitzpatrick)) : 'Not recorded', options);
  w.field('Body site', body.bodySite, options);
  w.field('Duration', body.durationDays === null ? 'Not recorded' : `${body.durationDays} days`, options);
  w.field('History', body.history || 'None given', options);
  w.field('Question', body.question, options);
}

function answer(w: ReportWriter, body: CaseBody): void {
  w.section('Answer');
  const found = body.answer;
  if (!found) {
    const closedUnanswered = lastEntry(body, 'answered') === null;
    w.text(
      closedUnanswered
        ? 'The case was closed before the specialists answered it.'
        : 'The answer and the opinions are shown to the referrer, to the reviewers who gave an opinion on this case, and to admins.',
      'regular',
      SIZE.body,
      { width: w.width },
    );
    return;
  }
  w.keepTogether(110);
  w.framed((x, width) => {
    const options = { width, paragraphGap: 3 };
    w.text(`${found.agreeing} of ${found.total} specialists agreed`, 'bold', SIZE.body, options);
    w.doc.x = x;
    w.field('Diagnosis', diagnosisText(found.diagnosis), options);
    w.field('Management', found.management || 'None given', options);
    w.field('Disposition', DISPOSITION_WORDS[found.disposition], options);
  });
  if (found.dissent.length === 0) return;
  // Outside the frame and under its own heading: a dissent is never read as part of the advice.
  w.keepTogether(60);
  w.text(found.dissent.length === 1 ? 'Dissenting opinion (not part of the advice)' : 'Dissenting opinions (not part of the advice)', 'bold', SIZE.body, { width: w.width, paragraphGap: 3 });
  for (const dissent of found.dissent) {
    w.doc.x = MARGIN + 10;
    w.field('Diagnosis', diagnosisText(dissent.diagnosis), { width: w.width - 10 });
    w.doc.x = MARGIN + 10;
    w.field('Disposition', DISPOSITION_WORDS[dissent.disposition], { width: w.width - 10, paragraphGap: 4 });
  }
  w.doc.x = MARGIN;
}

function opinions(w: ReportWriter, body: CaseBody): void {
  w.section('Opinions');
  if (body.opinions.length === 0) {
    w.text('None shown in this report.', 'regular', SIZE.body, { width: w.width });
    return;
  }
  body.opinions.forEach((opinion, i) => {
    w.keepTogether(90);
    const options = { width: w.width, paragraphGap: 2 };
    w.text(`Opinion ${i + 1}: ${opinion.reviewer.name}`, 'bold', SIZE.body, { ...options, continued: true });
    w.text(`, ${printedTime(opinion.createdAt)}`, 'regular', SIZE.body, options);
    w.field('Diagnosis', diagnosisText(opinion.diagnosis), options);
    if (opinion.differential.length > 0) w.field('Differential', opinion.differential.map(diagnosisText).join('; '), options);
    w.field('Confidence', capitalized(opinion.confidence), options);
    w.field('Management', opinion.management || 'None given', options);
    w.field('Disposition', DISPOSITION_WORDS[opinion.disposition], options);
    w.doc.moveDown(0.6);
  });
}

async function photos(w: ReportWriter, input: ConsultReportInput): Promise<void> {
  const { doc } = w;
  const list = input.body.photos;
  w.section('Photos');
  if (list.length === 0) {
    w.text('No photos.', 'regular', SIZE.body, { width: w.width });
    return;
  }
  const cell = (w.width - PHOTO_GAP) / 2;
  // Sized from each photo's own proportions, which its stored copies share, two to a row.
  const sizes = list.map((photo) => {
    const scale = Math.min(cell / photo.width, PHOTO_HEIGHT / photo.height);
    return { width: photo.width * scale, height: photo.height * scale };
  });
  for (let row = 0; row < list.length; row += 2) {
    const rowHeight = Math.max(...sizes.slice(row, row + 2).map((size) => size.height)) + PHOTO_CAPTION;
    w.keepTogether(rowHeight);
    const top = doc.y;
    for (let i = row; i < Math.min(row + 2, list.length); i++) {
      const photo = list[i]!;
      const { width, height } = sizes[i]!;
      const x = i === row ? MARGIN : MARGIN + cell + PHOTO_GAP;
      const bytes = await input.loadPhoto(photo.id);
      if (bytes) {
        doc.image(bytes, x + (cell - width) / 2, top, { width, height });
      } else {
        doc.rect(x, top, cell, height).lineWidth(0.5).strokeColor(RULE).stroke();
        doc.x = x + 10;
        doc.y = top + height / 2 - 6;
        w.text('This photo is missing from storage.', 'regular', SIZE.body, { width: cell - 20, align: 'center' });
      }
      doc.x = x;
      doc.y = top + height + 4;
      const source = photo.uploadedBy === 'link' ? ', from a follow-up link' : '';
      doc.fillColor(GREY);
      w.text(`Photo ${i + 1} of ${list.length}: ${KIND_WORDS[photo.kind]}, ${printedTime(photo.createdAt)}${source}`, 'regular', SIZE.small, { width: cell });
      doc.fillColor('black');
    }
    doc.x = MARGIN;
    doc.y = top + rowHeight;
  }
}

/** Page numbers, and what the page is, at the foot of every page. */
function footers(w: ReportWriter, caseId: string, printedAt: number): void {
  const { doc } = w;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing below the bottom margin would start a new page.
    doc.page.margins.bottom = 0;
    doc.fillColor(GREY);
    doc.x = MARGIN;
    doc.y = doc.page.height - bottom / 2 - SIZE.small;
    w.text(`${REPORT_TITLE} · case ${caseId} · printed ${printedTime(printedAt)} · page ${i - start + 1} of ${count}`, 'regular', SIZE.small, {
      width: w.width,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

/** The report as one PDF: the photos are read one at a time, so at most one is in memory besides the document. */
export async function renderConsultReport(input: ConsultReportInput): Promise<Buffer> {
  const printedAt = new Date(input.printedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: REPORT_TITLE, Creator: SERVICE_NAME, Producer: SERVICE_NAME, CreationDate: printedAt, ModDate: printedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const w = new ReportWriter(doc, reportFonts());
  header(w, input);
  clinicalDetails(w, input.body);
  answer(w, input.body);
  opinions(w, input.body);
  await photos(w, input);
  if (w.unprintable > 0) {
    w.keepTogether(40);
    doc.moveDown(1);
    w.text(`Characters this report cannot print (such as emoji) are shown as ${UNPRINTABLE}; the case in ${SERVICE_NAME} keeps the text as written.`, 'regular', SIZE.small, {
      width: w.width,
    });
  }
  footers(w, input.body.id, input.printedAt);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
