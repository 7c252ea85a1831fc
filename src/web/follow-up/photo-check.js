// The follow-up page's photo check: the web app's advice on a chosen photo (the server's own measure, through
// js/photo-advice.js), bundled on its own into a classic script for old phones (src/web/assets.ts, CARD_BUNDLED).
// follow-up.js, which is not bundled, finds it as window.photoCheck(file) -> Promise<warnings to advise on>;
// where this script did not load or cannot run, photos are sent unchecked.
import { adviceFor } from '../public/js/photo-advice.js';

/** @type {any} */ (window).photoCheck = adviceFor;
