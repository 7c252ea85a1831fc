// Text that people type and others read (a patient's note, a referrer's reply, a clinic's contact): trimmed,
// blank meaning none, bounded in characters, and refused with a 400 that names the field when it holds control
// characters, which no keyboard types and which could only hide or garble what the reader sees.
import { BadRequestError } from '../errors.js';

export interface PlainTextRule {
  /** The field's name, for the error message. */
  field: string;
  /** Characters (code points) after trimming. */
  maxLength: number;
  /** Line breaks and tabs allowed (a note), or one line (a phone number or an address). */
  multiline: boolean;
}

/** Control characters (Unicode's Cc: C0, DEL, C1) other than a line break or a tab. */
const CONTROL_IN_LINES = /(?![\t\n])\p{Cc}/u;
/** Control characters, line breaks of every kind included. */
const CONTROL_OR_BREAK = /[\p{Cc}\u2028\u2029]/u;

/** The text as it is kept, or null when there is none; browsers send a textarea's line breaks as CRLF. */
export function plainText(raw: string | null | undefined, { field, maxLength, multiline }: PlainTextRule): string | null {
  const text = (raw ?? '').replace(/\r\n?/g, '\n').trim();
  if (text === '') return null;
  if ((multiline ? CONTROL_IN_LINES : CONTROL_OR_BREAK).test(text)) {
    throw new BadRequestError(`${field} must not hold control characters${multiline ? '' : ' or line breaks'}`, 'VALIDATION_ERROR');
  }
  const length = [...text].length;
  if (length > maxLength) throw new BadRequestError(`${field} is too long: at most ${maxLength} characters (got ${length})`, 'VALIDATION_ERROR');
  return text;
}
