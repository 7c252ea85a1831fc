// The body map's table: about 40 regions, front and back, each a distinct SNOMED CT concept id that is well formed,
// so that a mistyped digit is caught here rather than in a receiving system.
import { describe, expect, it } from 'vitest';
import { BODY_MAP_SIDES, BODY_SITES, bodySiteByCode } from '../../../src/cases/body-sites.js';

// Verhoeff's dihedral check, which SNOMED CT uses for the last digit of every identifier.
const DIHEDRAL = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const STEP = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
/** PERMUTATION[i] is STEP applied i times. */
const PERMUTATION = Array.from({ length: 8 }, (_, times) => STEP.map((_, digit) => Array.from({ length: times }).reduce<number>((d) => STEP[d]!, digit)));

function verhoeffValid(id: string): boolean {
  let check = 0;
  [...id].reverse().forEach((digit, position) => {
    check = DIHEDRAL[check]![PERMUTATION[position % 8]![Number(digit)]!]!;
  });
  return check === 0;
}

describe('Verhoeff check (as the test uses it)', () => {
  it('accepts known SNOMED CT ids and refuses them with a digit changed or two swapped', () => {
    for (const id of ['138875005', '404684003', '66480008', '64262003']) expect(verhoeffValid(id)).toBe(true);
    expect(verhoeffValid('66480007')).toBe(false);
    expect(verhoeffValid('64480008')).toBe(false);
    expect(verhoeffValid('64620003')).toBe(false);
  });
});

describe('BODY_SITES', () => {
  it('has about 40 regions on the front and the back of the map, with distinct ids', () => {
    expect(BODY_SITES.length).toBeGreaterThanOrEqual(36);
    expect(BODY_SITES.length).toBeLessThanOrEqual(50);
    expect(new Set(BODY_SITES.map((s) => s.region)).size).toBe(BODY_SITES.length);
    for (const side of BODY_MAP_SIDES) expect(BODY_SITES.filter((s) => s.side === side).length).toBeGreaterThanOrEqual(10);
    for (const site of BODY_SITES) expect(site.region).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('codes each region with its own well-formed SNOMED CT concept id', () => {
    expect(new Set(BODY_SITES.map((s) => s.code)).size).toBe(BODY_SITES.length);
    for (const { region, code, term } of BODY_SITES) {
      // Digits only, 6 to 18 of them, no leading zero; partition "00" (a concept of the International Edition).
      expect(code, region).toMatch(/^[1-9]\d{5,17}$/);
      expect(code.slice(-3, -1), `${region}: partition of ${code}`).toBe('00');
      expect(verhoeffValid(code), `${region}: check digit of ${code}`).toBe(true);
      expect(term.trim(), region).not.toBe('');
    }
  });

  it('finds a region by its concept id, and nothing for a code not in the table', () => {
    expect(bodySiteByCode('66480008')).toMatchObject({ region: 'left-forearm', term: 'Structure of left forearm' });
    expect(bodySiteByCode('64262003')?.region).toBe('right-forearm');
    expect(bodySiteByCode('12345')).toBeUndefined();
  });
});
