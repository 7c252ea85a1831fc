// The body map's drawing: a figure standing in the anatomical position (palms forward), seen from the front
// and from the back, cut into shapes that each stand for a region of the body-site table (virtual:body-sites).
// Coordinates are in a 200 × 470 box. A shape with `pair` is drawn on the viewer's left and, mirrored, on the
// right; its region names the side as {near} (the patient's side on the viewer's left: right seen from the
// front, left seen from the back) and {far} for the mirrored one. A region drawn on the view the table puts it
// on is chosen there with the keyboard too; drawn on the other view as well (the back of the thigh), it is a
// second place to click for the same region. A shape of no region is the body around the regions.

/**
 * @typedef {object} Shape
 * @property {string | null} region the region id in the table, with {near}/{far} for a side; null: no region
 * @property {string} [d] path data
 * @property {readonly [number, number, number, number]} [ellipse] cx, cy, rx, ry
 * @property {boolean} [pair] drawn on both sides, mirrored
 * @property {boolean} [feature] a line of the drawing (the eyes) that is not the body's surface: not clickable
 */

export const VIEW_WIDTH = 200;
export const VIEW_HEIGHT = 470;

// Shared outline: the same silhouette from the front and the back (the viewer's left half, for pairs).
const EAR = /** @type {const} */ ([74, 42, 4.5, 8.5]);
const HEAD = /** @type {const} */ ([100, 40, 25, 31]);
const NECK = 'M 88 62 L 112 62 L 115 88 L 85 88 Z';
const SHOULDER = 'M 85 87 C 74 89 62 90 55 96 C 49 101 47 110 47 121 L 63 119 C 64 111 67 105 73 101 Z';
const CHEST = 'M 85 87 L 73 101 C 69 106 68 115 68 124 Q 66 144 70 162 L 130 162 Q 134 144 132 124 C 132 115 131 106 127 101 L 115 87 Z';
const ARMPIT = 'M 73 101 C 67 105 64 111 63 119 Q 66 126 68 132 Q 67 124 68 118 C 68 111 70 106 73 101 Z';
const ABDOMEN = 'M 70 162 Q 68 180 72 196 Q 65 214 65 236 L 86 238 L 114 238 L 135 236 Q 135 214 128 196 Q 132 180 130 162 Z';
const GROIN = 'M 86 238 L 114 238 L 105 262 Q 100 265 95 262 Z';
const UPPER_ARM = 'M 47 121 L 63 119 L 57 180 L 40 178 Z';
const ELBOW = 'M 40 178 L 57 180 L 55 192 L 37 190 Z';
const FOREARM = 'M 37 190 L 55 192 L 45 250 L 28 248 Z';
const WRIST = 'M 28 248 L 45 250 L 44 259 L 26 257 Z';
const HAND = 'M 26 257 L 44 259 Q 47 271 43 283 L 24 281 Q 21 269 26 257 Z';
/** Four fingers under the hand, and the thumb out to the side (palm forward, the thumb is lateral). */
const FINGERS = [
  'M 24 281 L 28.5 281.5 L 27.5 298 Q 25 300 23 297 Z',
  'M 28.5 281.5 L 33 282 L 32.5 302 Q 30 304 28 301 Z',
  'M 33 282 L 37.5 282.5 L 37.5 300 Q 35 302 33 299.5 Z',
  'M 37.5 282.5 L 43 283 L 42 295 Q 40 297 38 295 Z',
  'M 25 262 Q 19 270 15 279 Q 15 283 18 282 Q 23 276 26 270 Z',
].join(' ');
const THIGH = 'M 65 236 Q 60 282 68 328 L 96 328 Q 97 296 100 264 Q 97 263 95 262 L 86 238 Z';
const KNEE = 'M 68 328 L 96 328 Q 97 339 95 350 L 70 350 Q 66 339 68 328 Z';
const LOWER_LEG = 'M 70 350 Q 63 378 73 418 L 90 418 Q 97 384 95 350 Z';
const ANKLE = 'M 73 418 L 90 418 L 90 430 L 73 430 Z';
const FOOT_TOP = 'M 73 430 L 90 430 Q 94 439 93 448 L 66 452 Q 66 442 73 430 Z';
const TOES = 'M 66 452 L 93 448 Q 94 455 90 458 Q 87 461 84 459 Q 81 462 78 460 Q 75 462 72 460 Q 68 461 66 457 Z';
// Seen from the back: the head is the scalp, the trunk parts into upper and lower back and the buttocks, and the
// foot shows its heel over the sole.
const UPPER_BACK = 'M 85 87 L 73 101 C 67 105 64 111 63 119 Q 66 126 68 132 Q 66 147 70 162 L 130 162 Q 134 147 132 132 Q 134 126 137 119 C 136 111 133 105 127 101 L 115 87 Z';
const LOWER_BACK = 'M 70 162 Q 68 180 72 196 Q 67 208 66 222 L 134 222 Q 133 208 128 196 Q 132 180 130 162 Z';
const BUTTOCK = 'M 66 222 L 100 222 L 100 258 Q 86 266 72 258 Q 64 246 66 222 Z';
const HEEL = 'M 73 430 L 90 430 Q 93 440 89 447 Q 81.5 451 74 447 Q 70 440 73 430 Z';
/** A circle as a path of its own (toes under a sole). */
const circle = (/** @type {number} */ cx, /** @type {number} */ cy, /** @type {number} */ r) => `M ${cx - r} ${cy} a ${r} ${r} 0 1 0 ${2 * r} 0 a ${r} ${r} 0 1 0 ${-2 * r} 0 Z`;
/** The sole as a footprint beside the leg (heel up, as the foot is seen from behind), its toes under it. */
const SOLE = [
  'M 36 388 C 44 388 46 396 45 406 C 44 416 47 426 47 434 C 47 442 42 447 36 447 C 29 447 25 443 25 437 C 25 429 28 421 28 411 C 27 399 28 388 36 388 Z',
  circle(44, 452, 3.4),
  circle(37.5, 454, 2.6),
  circle(32, 453.5, 2.4),
  circle(27.5, 452, 2.2),
  circle(24, 449, 2),
].join(' ');
const SCALP_FRONT = 'M 76 28 C 76 3 124 3 124 28 C 112 20 88 20 76 28 Z';
const FOREHEAD = 'M 76 28 C 88 20 112 20 124 28 L 125 37 C 112 33 88 33 75 37 Z';
const NOSE = 'M 100 37 Q 97 45 95 51 Q 100 54 105 51 Q 103 45 100 37 Z';
const EYE = /** @type {const} */ ([89.5, 40.5, 3.4, 1.7]);
const CHEEK = /** @type {const} */ ([86.5, 50, 6, 6.5]);
const LIPS = /** @type {const} */ ([100, 58.5, 7, 3]);
const CHIN = 'M 90 64 Q 100 66.5 110 64 Q 108 71 100 71 Q 92 71 90 64 Z';

/** @type {Readonly<Record<import('virtual:body-sites').BodyMapSide, readonly Shape[]>>} */
export const VIEWS = {
  front: [
    { region: 'ears', ellipse: EAR, pair: true },
    { region: 'neck', d: NECK },
    { region: null, ellipse: HEAD },
    { region: 'scalp', d: SCALP_FRONT },
    { region: 'forehead', d: FOREHEAD },
    { region: null, ellipse: EYE, pair: true, feature: true },
    { region: 'cheeks', ellipse: CHEEK, pair: true },
    { region: 'nose', d: NOSE },
    { region: 'lips', ellipse: LIPS },
    { region: 'chin', d: CHIN },
    { region: 'chest', d: CHEST },
    { region: 'armpits', d: ARMPIT, pair: true },
    { region: '{near}-shoulder', d: SHOULDER, pair: true },
    { region: 'abdomen', d: ABDOMEN },
    { region: 'genital-area', d: GROIN },
    { region: '{near}-upper-arm', d: UPPER_ARM, pair: true },
    { region: '{near}-elbow', d: ELBOW, pair: true },
    { region: '{near}-forearm', d: FOREARM, pair: true },
    { region: '{near}-wrist', d: WRIST, pair: true },
    { region: '{near}-palm', d: HAND, pair: true },
    { region: 'fingers', d: FINGERS, pair: true },
    { region: '{near}-thigh', d: THIGH, pair: true },
    { region: '{near}-knee', d: KNEE, pair: true },
    { region: '{near}-lower-leg', d: LOWER_LEG, pair: true },
    { region: '{near}-ankle', d: ANKLE, pair: true },
    { region: '{near}-foot', d: FOOT_TOP, pair: true },
    { region: 'toes', d: TOES, pair: true },
  ],
  back: [
    { region: 'neck', d: NECK },
    { region: 'scalp', ellipse: HEAD },
    { region: 'ears', ellipse: EAR, pair: true },
    { region: 'upper-back', d: UPPER_BACK },
    { region: '{near}-shoulder', d: SHOULDER, pair: true },
    { region: 'lower-back', d: LOWER_BACK },
    { region: null, d: GROIN },
    { region: '{near}-thigh', d: THIGH, pair: true },
    { region: 'buttocks', d: BUTTOCK, pair: true },
    { region: '{near}-upper-arm', d: UPPER_ARM, pair: true },
    { region: '{near}-elbow', d: ELBOW, pair: true },
    { region: '{near}-forearm', d: FOREARM, pair: true },
    { region: '{near}-wrist', d: WRIST, pair: true },
    { region: '{near}-back-of-hand', d: HAND, pair: true },
    { region: 'fingers', d: FINGERS, pair: true },
    { region: '{near}-knee', d: KNEE, pair: true },
    { region: 'calves', d: LOWER_LEG, pair: true },
    { region: '{near}-ankle', d: ANKLE, pair: true },
    { region: 'heels', d: HEEL, pair: true },
    { region: 'soles', d: SOLE, pair: true },
  ],
};

/** The patient's side drawn on the viewer's left, in each view. */
export const NEAR_SIDE = /** @type {const} */ ({ front: 'right', back: 'left' });
