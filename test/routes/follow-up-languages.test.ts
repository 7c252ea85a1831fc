// The follow-up page in the parent's language: the link's language, ?lang= chosen on the page (kept by the
// form without JavaScript), or the browser's Accept-Language; English otherwise. Every page (upload, no-script
// result, dead link) and the words handed to the script speak it, and none says anything about the patient.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { CASE_INPUT, fixturePath, postCase } from '../helpers/cases.js';

const SITE_NAME = 'Hilltop Township Clinic';
const SITE_CONTACT = '+86 871 6543 2100';
const BROWSER_HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CJK = /[\u4e00-\u9fff]/;

type User = { id: string; token: string };
type Link = { id: string; token: string; language: string | null };

const htmlLang = (html: string) => /<html\b[^>]*?\blang="([^"]+)"/.exec(html)?.[1] ?? '';
const decode = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** What a person reads: the body's text without the language switch (each language named in itself), tags or scripts. */
const visible = (html: string) =>
  decode(
    html
      .replace(/<head\b[\s\S]*?<\/head>/i, ' ')
      .replace(/<nav class="languages"[\s\S]*?<\/nav>/, ' ')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
/** The words the page hands its script: error messages and everything else it says. */
const scriptTexts = (html: string): string[] => {
  const attribute = (name: string) => JSON.parse(decode(new RegExp(`${name}="([^"]*)"`).exec(html)?.[1] ?? '{}')) as unknown;
  const strings = (value: unknown): string[] => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : []);
  const { forms: _categories, ...words } = attribute('data-words') as Record<string, unknown>;
  return [...strings(attribute('data-messages')), ...strings(words)];
};
/** English words that have no place on a page in another language (the outside check's, and a few more). */
const englishWords = (text: string, allowed: RegExp = /^$/) =>
  (text.match(/\b(send|sent|your|choose|the|photos?|take|link|clinic|please|with|from|thank)\b/gi) ?? []).filter((w) => !allowed.test(w));
/** A Chinese page has no Latin letters at all, once the clinic's name is out. */
const latinLetters = (text: string) => text.replaceAll(SITE_NAME, '').match(/[A-Za-z]+/g) ?? [];

/** How each language's page must read: its words, and none of English's. */
const READS: Record<'zh-CN' | 'es' | 'fr', (text: string) => void> = {
  'zh-CN': (text) => {
    expect(text).toMatch(CJK);
    expect(latinLetters(text)).toEqual([]);
  },
  es: (text) => {
    expect(text).toMatch(/\bfotos?\b/);
    expect(text).toMatch(/\b(enviar|envíe|clínica)\b/i);
    expect(englishWords(text.replaceAll(SITE_NAME, ''))).toEqual([]);
  },
  fr: (text) => {
    expect(text).toMatch(/[éèêàâçùûôî]/);
    expect(text).toMatch(/\b(envoyer|envoyez|votre|vos|clinique)\b/i);
    expect(englishWords(text.replaceAll(SITE_NAME, ''), /^photos?$/i)).toEqual([]);
  },
};

/** A multipart body with fixture photos, sent in one write (as test/routes/follow-up.test.ts does). */
function multipart(files: string[]): { body: Buffer; contentType: string } {
  const boundary = '----follow-up-languages-boundary';
  const parts = files.map((file, i) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="photos"; filename="photo-${i}${path.extname(file)}"\r\ncontent-type: image/jpeg\r\n\r\n`),
      fs.readFileSync(fixturePath(file)),
      Buffer.from('\r\n'),
    ]),
  );
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('follow-up page languages', () => {
  let t: TestApp;
  let clinician: User;
  let noSite: User;
  /** Every page served in the file, to look for the patient in. */
  const pages: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const site = await t.http.post('/api/v1/sites').set('authorization', `Bearer ${await t.adminToken()}`).send({ name: SITE_NAME, tier: 'primary', contact: SITE_CONTACT });
    expect(site.status).toBe(201);
    clinician = await t.createUser('clinician', { siteId: site.body.id, name: 'Dr Referrer Uniquename' });
    noSite = await t.createUser('clinician');
  });
  afterAll(async () => t.close());

  async function openCase(by: User = clinician): Promise<string> {
    const res = await postCase(t, by.token, ['orient-1.jpg']);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  async function makeLink(caseId: string, body: Record<string, unknown> = {}, by: User = clinician): Promise<Link> {
    const res = await t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${by.token}`).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Link;
  }

  async function page(token: string, query = '', headers: Record<string, string> = {}) {
    const res = await t.raw('GET', `/f/${token}${query}`, { accept: BROWSER_HTML, ...headers });
    pages.push(res.text);
    return { status: res.status, headers: res.headers, html: res.text, lang: htmlLang(res.text), text: visible(res.text) };
  }

  async function post(token: string, query = '', headers: Record<string, string> = {}, files = ['orient-2.jpg']) {
    const form = multipart(files);
    const res = await t.raw('POST', `/f/${token}/photos${query}`, { accept: BROWSER_HTML, 'content-type': form.contentType, ...headers }, form.body);
    pages.push(res.text);
    return { status: res.status, headers: res.headers, html: res.text, lang: htmlLang(res.text), text: visible(res.text) };
  }

  it("stores the parent's language with the link and lists it; refuses a language we do not have", async () => {
    const caseId = await openCase();
    const zh = await makeLink(caseId, { language: 'zh-CN' });
    expect(zh.language).toBe('zh-CN');
    const plain = await makeLink(caseId, {});
    expect(plain.language).toBeNull();
    expect((await makeLink(caseId, { language: null })).language).toBeNull();
    for (const language of ['de', 'zh', 'EN', '', 7]) {
      const res = await t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${clinician.token}`).send({ language });
      expect(res.status, String(language)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    const list = await t.http.get(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${clinician.token}`);
    expect(list.status).toBe(200);
    const byId = new Map((list.body.items as { id: string; language: string | null }[]).map((l) => [l.id, l.language]));
    expect(byId.get(zh.id)).toBe('zh-CN');
    expect(byId.get(plain.id)).toBeNull();
    expect((await t.sql.one('select language from follow_up_links where id = ?', zh.id))?.language).toBe('zh-CN');
  });

  it("opens in the link's language, says so in <html lang>, Content-Language and Vary, and offers every language by its own name", async () => {
    const link = await makeLink(await openCase(), { language: 'zh-CN' });
    // The link's language wins over the browser's.
    const zh = await page(link.token, '', { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(zh.status).toBe(200);
    expect(zh.lang).toBe('zh-CN');
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(String(zh.headers.vary)).toMatch(/accept-language/i);
    READS['zh-CN'](zh.text);
    expect(zh.text).toContain('发送随访照片');
    expect(zh.text).toContain('您最多可以发送 10 张照片。');
    // The switch: links that reload this page in each language, named in that language, the current one marked.
    const nav = /<nav class="languages" aria-label="语言">([\s\S]*?)<\/nav>/.exec(zh.html)?.[1] ?? '';
    const entries = [...nav.matchAll(/<a href="([^"]+)" lang="([^"]+)" hreflang="[^"]+" data-name="([^"]+)" aria-label="\3"( aria-current="true")?>/g)].map((m) => [m[1], m[2], Boolean(m[4]), m[3]]);
    expect(entries).toEqual([
      ['?lang=en', 'en', false, 'English'],
      ['?lang=zh-CN', 'zh-CN', true, '中文'],
      ['?lang=es', 'es', false, 'Español'],
      ['?lang=fr', 'fr', false, 'Français'],
    ]);
    // Without a choice on the page, the form posts where it always did.
    expect(zh.html).toContain(`action="/f/${link.token}/photos"`);
    // The script's words are Chinese too.
    const words = scriptTexts(zh.html);
    expect(words.length).toBeGreaterThan(20);
    for (const text of words) expect(latinLetters(text.replace(/\{\w+\}/g, '')), text).toEqual([]);
  });

  it('lets ?lang= win over the link and the browser, and keeps the choice in the form for the page without script', async () => {
    const link = await makeLink(await openCase(), { language: 'zh-CN' });
    for (const [query, language] of [
      ['?lang=es', 'es'],
      ['?lang=fr', 'fr'],
      ['?lang=en', 'en'],
      ['?lang=zh-CN', 'zh-CN'],
      // Tags are read as the nearest of ours.
      ['?lang=fr-CA', 'fr'],
      ['?lang=es-419', 'es'],
    ] as const) {
      const res = await page(link.token, query, { 'accept-language': 'en-GB,en;q=0.9' });
      expect(res.status, query).toBe(200);
      expect(res.lang, query).toBe(language);
      expect(res.headers['content-language'], query).toBe(language);
      expect(res.html, query).toContain(`action="/f/${link.token}/photos?lang=${language}"`);
      expect(res.html, query).toContain(`aria-current="true">`);
      // The script's words, without the slots it fills ({clinic}, {n}...).
      if (language !== 'en') READS[language](`${res.text} ${scriptTexts(res.html).join(' ').replace(/\{\w+\}/g, '')}`);
    }
    const en = await page(link.token, '?lang=en');
    expect(en.text).toContain('Send follow-up photos');
    expect(en.text).toContain(SITE_NAME);
  });

  it('falls back without an error on a ?lang= it does not know: the link, then the browser, then English', async () => {
    const zhLink = await makeLink(await openCase(), { language: 'zh-CN' });
    const plain = await makeLink(await openCase(), {});
    for (const query of ['?lang=de', '?lang=', '?lang=%00', `?lang=${'x'.repeat(3000)}`, '?lang[x]=fr', '?lang=xx&lang=fr']) {
      const onLink = await page(zhLink.token, query, { 'accept-language': 'es' });
      expect(onLink.status, query).toBe(200);
      expect(onLink.lang, query).toBe('zh-CN');
      expect(onLink.html, query).toContain(`action="/f/${zhLink.token}/photos"`);
      expect((await page(plain.token, query, { 'accept-language': 'es-MX,es;q=0.9' })).lang, query).toBe('es');
      expect((await page(plain.token, query, { 'accept-language': 'de-DE,de;q=0.9' })).lang, query).toBe('en');
      expect((await page(plain.token, query)).lang, query).toBe('en');
    }
    // Repeated, the first one counts.
    expect((await page(plain.token, '?lang=fr&lang=es')).lang).toBe('fr');
  });

  it("follows the browser's Accept-Language for a link made without a language, by its q order", async () => {
    const plain = await makeLink(await openCase(), {});
    for (const [header, language] of [
      ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
      ['zh-TW,zh;q=0.9', 'zh-CN'],
      ['de-DE,es;q=0.7,en;q=0.3', 'es'],
      ['en-GB,en;q=0.9', 'en'],
      ['en;q=0.1,zh-CN', 'zh-CN'],
    ] as const) {
      const res = await page(plain.token, '', { 'accept-language': header });
      expect(res.lang, header).toBe(language);
      if (language !== 'en') READS[language](res.text);
    }
  });

  it('writes every word of the page in each language, numbers by its plural rules, and the page without a site names the clinic in that language', async () => {
    const caseId = await openCase(noSite);
    const one = await makeLink(caseId, { maxPhotos: 1 }, noSite);
    const expected = {
      en: ['You can send up to 1 photo.', 'your clinic'],
      'zh-CN': ['您最多可以发送 1 张照片。', '您就诊的医院'],
      es: ['Puede enviar hasta 1 foto.', 'su clínica'],
      fr: ['Vous pouvez envoyer jusqu’à 1 photo.', 'votre clinique'],
    } as const;
    for (const [language, words] of Object.entries(expected)) {
      const res = await page(one.token, `?lang=${language}`);
      expect(res.status).toBe(200);
      for (const w of words) expect(res.text, language).toContain(w);
      if (language !== 'en') READS[language as keyof typeof READS](res.text);
    }
  });

  it('answers the form posted without script in the chosen language, and keeps it on the way back', async () => {
    const caseId = await openCase();
    const link = await makeLink(caseId, { language: 'zh-CN', maxPhotos: 4 });
    // Chosen on the page: French, whatever the link and the browser say.
    const fr = await post(link.token, '?lang=fr', { 'accept-language': 'es' });
    expect(fr.status).toBe(201);
    expect(fr.lang).toBe('fr');
    expect(fr.headers['content-language']).toBe('fr');
    expect(fr.text).toContain(`1 photo envoyée à ${SITE_NAME}. Vous pouvez encore envoyer 3 photos avec ce lien.`);
    expect(fr.text).toContain('Merci');
    READS.fr(fr.text);
    expect(fr.html).toContain(`href="/f/${link.token}?lang=fr">Envoyer d’autres photos</a>`);
    // The switch of the answer reloads the upload page, not the upload address.
    expect(fr.html).toContain(`href="/f/${link.token}?lang=es"`);

    // Not chosen: the link's language.
    const zh = await post(link.token, '', { 'accept-language': 'es' }, ['orient-3.jpg', 'orient-4.jpg']);
    expect(zh.status).toBe(201);
    expect(zh.lang).toBe('zh-CN');
    expect(zh.text).toContain(`2 张照片已发送给${SITE_NAME}。这个链接还可以再发送 1 张照片。`);
    READS['zh-CN'](zh.text);
    expect(zh.html).toContain(`href="/f/${link.token}"`);

    // An error, in Spanish: plain words, a way back in Spanish.
    const bad = await post(link.token, '?lang=es', {}, ['script.svg']);
    expect(bad.status).toBe(415);
    expect(bad.lang).toBe('es');
    expect(bad.text).toContain('Uno de los archivos no es una foto. Elija solo fotos, por favor.');
    READS.es(bad.text);
    expect(bad.html).toContain(`href="/f/${link.token}?lang=es">Volver a intentarlo</a>`);

    // The last photo, then the link is used up: the dead page names the clinic's contact, in the link's language.
    expect((await post(link.token, '?lang=es', {}, ['orient-5.jpg'])).status).toBe(201);
    const gone = await post(link.token, '', {}, ['orient-6.jpg']);
    expect(gone.status).toBe(404);
    expect(gone.lang).toBe('zh-CN');
    const call = `<a href="tel:+8687165432100">${SITE_CONTACT}</a>`;
    expect(gone.html).toContain(`这个链接已经不能用了。如果还要发送照片，请联系${SITE_NAME}：${call}`);
    const goneFr = await post(link.token, '?lang=fr', {}, ['orient-6.jpg']);
    expect(goneFr.lang).toBe('fr');
    expect(goneFr.html).toContain(`Ce lien ne fonctionne plus. Pour envoyer d’autres photos, contactez ${SITE_NAME}\u00a0: ${call}`);
    expect(englishWords(goneFr.text.replaceAll(SITE_NAME, ''), /^photos?$/i)).toEqual([]);

    // Whatever the language, the JSON answers keep their codes.
    const json = await t.raw('POST', `/f/${link.token}/photos?lang=fr`, { accept: 'application/json', 'content-type': multipart(['orient-2.jpg']).contentType }, multipart(['orient-2.jpg']).body);
    expect(json.status).toBe(404);
    expect(JSON.parse(json.text).code).toBe('NOT_FOUND');
  });

  it("shows a dead link's page in the language asked for, the link's, or the browser's; an unknown token is the same page for all", async () => {
    const caseId = await openCase(noSite);
    const revoked = await makeLink(caseId, { language: 'es' }, noSite);
    expect((await t.http.delete(`/api/v1/follow-up-links/${revoked.id}`).set('authorization', `Bearer ${noSite.token}`)).status).toBe(204);
    const es = await page(revoked.token);
    expect(es.status).toBe(404);
    expect(es.lang).toBe('es');
    expect(es.headers['content-language']).toBe('es');
    expect(es.text).toBe('Este enlace ya no funciona Este enlace ya no funciona. Pida uno nuevo a su clínica, por favor.');
    // Its switch stays on the address the reader already has.
    expect(es.html).toContain('href="?lang=fr"');
    expect(es.html).not.toContain(revoked.token);

    const unknown = 'Q'.repeat(43);
    const fr = await page(unknown, '', { 'accept-language': 'fr' });
    expect(fr.status).toBe(404);
    expect(fr.lang).toBe('fr');
    READS.fr(fr.text);
    const zh = await page(unknown, '?lang=zh-CN', { 'accept-language': 'fr' });
    expect(zh.lang).toBe('zh-CN');
    READS['zh-CN'](zh.text);
    // The same words for every unknown or unusable token in a language, the malformed ones too.
    const bodies = new Set<string>();
    for (const token of [unknown, 'x', 'y'.repeat(500), revoked.token]) bodies.add((await page(token, '?lang=zh-CN')).text);
    expect([...bodies]).toEqual([zh.text]);
  });

  it('shows nothing about the patient on any page, in any language', () => {
    expect(pages.length).toBeGreaterThan(40);
    for (const html of pages) {
      for (const secret of [CASE_INPUT.patientRef, CASE_INPUT.history, CASE_INPUT.question, CASE_INPUT.bodySite, 'Uniquename', 'female']) {
        expect(html).not.toContain(secret);
      }
    }
  });
});
