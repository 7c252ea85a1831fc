// What to tell the person who has just chosen a photo, before it is sent: the quality warnings of the server's own
// measure (photo-quality.js). Shared by the web app's photo picker and the follow-up page's photo check
// (src/web/follow-up/photo-check.js), so that both advise alike.
import { measureFile } from './photo-quality.js';

/** @typedef {import('virtual:photo-quality').QualityWarning} QualityWarning */

/** Photos are measured one after another: a phone need not hold several decoded 12 MP photos at once. */
let previous = Promise.resolve();

/**
 * The warnings to put to the person for a chosen file, in the measure's order: none when it looks fine or this
 * browser cannot decode it (the server measures it once sent).
 * @param {Blob} file
 * @returns {Promise<QualityWarning[]>}
 */
export function adviceFor(file) {
  const measured = previous.then(() => measureFile(file)).catch(() => null);
  previous = measured.then(() => undefined);
  return measured.then((quality) => quality?.warnings ?? []);
}
