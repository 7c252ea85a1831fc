// Email over SMTP_URL, received by a real SMTP server in its own process: who hears of what (by their choices,
// never of their own action), what an email says (a case code, what happened, a link: no patient data), the
// daily digest, a refusing or absent mail server (tried again by the clock, delivered once), and a service
// without SMTP_URL that works as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';
import { fixturePath } from '../helpers/cases.js';
import { auth, reviewKit, type Diagnosis } from '../helpers/review-kit.js';
import { SMTP_USER, startSmtpServer, type ReceivedEmail, type SmtpServer } from '../helpers/smtp.js';
import { waitUntil } from '../helpers/wait.js';

const PUBLIC_URL = 'https://derm.example.org';
const SMTP_FROM = 'Skin Clinic Consults <consult@clinic.example>';

/** Case text with words found nowhere else, so that any of them in an email is patient data leaking. */
const PRIVATE_CASE = {
  patientRef: 'PX-QUOKKA-5521',
  bodySite: 'left popliteal fossa',
  history: 'Marmalade-coloured plaque since the harvest festival.',
  question: 'Is this a zygomorphic dermatosis?',
};
const DIAGNOSIS: Diagnosis = { text: 'Lichen wombaticus', code: 'L43.9', system: 'icd10' };
const MANAGEMENT = 'Narwhal ointment twice daily';
const QUESTION = 'Please photograph the periwinkle border.';
const REPLY = 'Border photographed beside the teapot.';
const NOTE = 'Grandmother says it glows at dusk.';
const PRIVATE_WORDS = ['QUOKKA', 'popliteal', 'Marmalade', 'harvest', 'zygomorphic', 'wombaticus', 'L43.9', 'Narwhal', 'periwinkle', 'teapot', 'Grandmother', 'dusk'];

const DEFAULT_CHOICES = { newCase: true, answered: true, needsInfo: true, reply: true, followUp: true, overdue: true, digest: false };

type Person = { id: string; email: string; token: string };

const caseLink = (caseId: string) => `${PUBLIC_URL}/#/cases/${caseId}`;
const codeOf = (caseId: string) => caseId.slice(0, 8);

/** Which email it is, by its subject. */
function kindOf(m: ReceivedEmail): string {
  const kinds: [RegExp, string][] = [
    [/^New case /, 'newCase'],
    [/has been answered/, 'answered'],
    [/asks for information/, 'needsInfo'],
    [/the referrer replied/, 'reply'],
    [/follow-up photos/, 'followUp'],
    [/past its deadline/, 'overdue'],
    [/digest/, 'digest'],
  ];
  return kinds.find(([subject]) => subject.test(m.subject))?.[1] ?? `unknown: ${m.subject}`;
}

function expectNoPatientData(emails: ReceivedEmail[]) {
  expect(emails.length).toBeGreaterThan(0);
  for (const m of emails) {
    for (const word of PRIVATE_WORDS) {
      expect(m.decoded.toLowerCase(), `"${word}" in "${m.subject}"`).not.toContain(word.toLowerCase());
      expect(m.raw.toLowerCase()).not.toContain(word.toLowerCase());
    }
  }
}

describe('email notifications', () => {
  let smtp: SmtpServer;
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ PUBLIC_URL, SMTP_URL: smtp.url, SMTP_FROM });
    kit = reviewKit(t);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  /** Every send started so far has finished, and whatever the server accepted is in smtp.received. */
  async function settled() {
    await t.app.notifier.dispatcher.settle();
    await smtp.sync();
  }

  const about = (caseId: string) => (m: ReceivedEmail) => m.text.includes(caseLink(caseId));
  const kindsAbout = (p: { email: string }, caseId: string) => smtp.to(p.email).filter(about(caseId)).map(kindOf);

  /** Waits for the emails each person should have had about the case so far, lets every send end, and checks they had exactly those. */
  async function expectEmails(caseId: string, expected: [{ email: string }, string[]][]) {
    for (const [p, kinds] of expected) await waitUntil(() => kindsAbout(p, caseId).length >= kinds.length, `${kinds.join(', ')} reach ${p.email}`, 10_000);
    await settled();
    expect(expected.map(([p]) => kindsAbout(p, caseId))).toEqual(expected.map(([, kinds]) => kinds));
  }

  const me = (p: Person) => t.http.get('/api/v1/me').set(auth(p.token));
  const updateMe = (p: Person, body: unknown) => t.http.patch('/api/v1/me').set(auth(p.token)).send(body as object);
  const emailRow = (userId: string) => t.sql.one<{ status: string; attempts: number; next_attempt_at: number; last_error: string | null }>('select * from email_notifications where user_id = ?', userId);

  it('gives every user the email choices, all on but the digest, and changes only those named', async () => {
    const user = await t.createUser('reviewer', { queues: ['general'] });
    const initial = await me(user);
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ id: user.id, email: user.email, role: 'reviewer', language: null, notifications: { email: DEFAULT_CHOICES } });

    for (const body of [
      { notifications: { email: { newCase: false, weekly: true } } },
      { notifications: { email: { newCase: 'no' } } },
      { notifications: { email: { digest: 1 } } },
      { notifications: { sms: {} } },
      { language: 'de' },
      { theme: 'dark' },
      {},
    ]) {
      const res = await updateMe(user, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    expect((await me(user)).body.notifications.email).toEqual(DEFAULT_CHOICES);

    const changed = await updateMe(user, { notifications: { email: { newCase: false, digest: true } } });
    expect(changed.status).toBe(200);
    expect(changed.body.notifications.email).toEqual({ ...DEFAULT_CHOICES, newCase: false, digest: true });
    const french = await updateMe(user, { language: 'fr' });
    expect(french.body).toMatchObject({ language: 'fr', notifications: { email: { ...DEFAULT_CHOICES, newCase: false, digest: true } } });
    await updateMe(user, { notifications: { email: { digest: false } } });
    expect((await me(user)).body).toMatchObject({ language: 'fr', notifications: { email: { ...DEFAULT_CHOICES, newCase: false } } });
    expect((await t.http.patch('/api/v1/me').send({ language: 'es' })).status).toBe(401);
  });

  it("emails a new case to each reviewer of its queue who wants it: a code, what happened and a link, from SMTP_FROM, no patient data", async () => {
    const [slug, otherSlug] = [await kit.queue(2), await kit.queue(2)];
    const [first, second, unwilling] = await kit.reviewers(3, [slug]);
    const [elsewhere] = await kit.reviewers(1, [otherSlug]);
    const referrer = await t.createUser('clinician');
    expect((await updateMe(unwilling!, { notifications: { email: { newCase: false } } })).status).toBe(200);

    const c = await kit.openCase(referrer.token, { queue: slug, ...PRIVATE_CASE });
    const email = await smtp.waitFor(first!.email, about(c.id));
    await expectEmails(c.id, [
      [first!, ['newCase']],
      [second!, ['newCase']],
      [unwilling!, []],
      [elsewhere!, []],
      [referrer, []],
    ]);

    const code = codeOf(c.id);
    expect(email.to).toEqual([first!.email]);
    expect(email.from).toBe('consult@clinic.example');
    expect(email.headers.from).toBe(SMTP_FROM);
    expect(email.headers.to).toBe(first!.email);
    expect(email.user).toBe(SMTP_USER);
    expect(email.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(email.subject).toContain(code);
    expect(email.text).toContain(code);
    expect(email.text).toContain(caseLink(c.id));
    expect(email.html).toContain(code);
    expect(email.html).toContain(`href="${caseLink(c.id)}"`);
    expect(email.headers['message-id']).toMatch(/^<.+@derm\.example\.org>$/);
    expectNoPatientData(smtp.to(first!.email).concat(smtp.to(second!.email)));
    // The mail server's password, given in SMTP_URL, is never logged.
    expect(t.logs.join('')).not.toContain('secret-password');
  });

  it('writes each email in the language its recipient chose: a new case in Chinese and in French, with its code and link, no patient data', async () => {
    const slug = await kit.queue(2);
    const [chinese, french, unchosen] = await kit.reviewers(3, [slug]);
    expect((await updateMe(chinese!, { language: 'zh-CN' })).status).toBe(200);
    expect((await updateMe(french!, { language: 'fr' })).status).toBe(200);
    const referrer = await t.createUser('clinician');
    const c = await kit.openCase(referrer.token, { queue: slug, ...PRIVATE_CASE });
    const [zh, fr, en] = await Promise.all([chinese!, french!, unchosen!].map((p) => smtp.waitFor(p.email, about(c.id))));
    const code = codeOf(c.id);

    expect(zh!.subject).toBe(`您的队列中有新病例 ${code}`);
    expect(zh!.text).toContain(`新病例 ${code} 正在您的一个队列中等待处理。`);
    expect(zh!.text).toContain(`打开病例：${caseLink(c.id)}`);
    expect(zh!.html).toContain(`href="${caseLink(c.id)}"`);
    expect(zh!.html).toContain('<html lang="zh-CN">');
    expect(zh!.headers['content-language']).toBe('zh-CN');

    expect(fr!.subject).toBe(`Nouveau dossier ${code} dans votre file`);
    expect(fr!.text).toContain(`Un nouveau dossier, ${code}, attend dans l’une de vos files.`);
    expect(fr!.text).toContain(`Ouvrir le dossier\u00a0: ${caseLink(c.id)}`);
    expect(fr!.html).toContain(`href="${caseLink(c.id)}"`);
    expect(fr!.headers['content-language']).toBe('fr');

    // No language chosen: English, word for word as before.
    expect(en!.subject).toBe(`New case ${code} in your queue`);
    expect(en!.text.split(/\r?\n/)).toEqual([`A new case, ${code}, is waiting in one of your queues.`, '', `Open the case: ${caseLink(c.id)}`, '', 'You receive this because of your notification choices; change them under "Your account".', '']);
    expect(en!.headers['content-language']).toBe('en');
    for (const translated of [zh!, fr!]) expect(translated.decoded).not.toMatch(/New case|Open the case|notification choices/);
    expectNoPatientData([zh!, fr!, en!]);
  });

  it("tells the referrer of a question, an answer and follow-up photos, and the case's reviewers of the referrer's replies, never the one who acted", async () => {
    const slug = await kit.queue(2);
    const [asker, second, bystander] = await kit.reviewers(3, [slug]);
    const referrer = await t.createUser('clinician');
    const c = await kit.openCase(referrer.token, { queue: slug, ...PRIVATE_CASE });
    const everyone = (referrerKinds: string[], askerKinds: string[], secondKinds: string[]): [Person, string[]][] => [
      [referrer, referrerKinds],
      [asker!, askerKinds],
      [second!, secondKinds],
      [bystander!, ['newCase']],
    ];
    await expectEmails(c.id, everyone([], ['newCase'], ['newCase']));

    // A reviewer asks: the referrer hears of it; the reviewer who asked does not.
    expect((await kit.claim(asker!.token, slug)).body.id).toBe(c.id);
    expect((await kit.message(asker!.token, c.id, QUESTION, true)).body.caseStatus).toBe('needs_info');
    await expectEmails(c.id, everyone(['needsInfo'], ['newCase'], ['newCase']));

    // The referrer answers with a photo and a message: one reply, one email, to the reviewer who asked.
    const reply = await t.http.post(`/api/v1/cases/${c.id}/photos`).set(auth(referrer.token)).field('message', REPLY).attach('photos', fixturePath('orient-2.jpg'));
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await expectEmails(c.id, everyone(['needsInfo'], ['newCase', 'reply'], ['newCase']));

    // An opinion that does not yet answer it tells nobody.
    expect((await kit.claim(asker!.token, slug)).body.id).toBe(c.id);
    expect((await kit.opinion(asker!.token, c.id, DIAGNOSIS, { management: MANAGEMENT })).status).toBe(201);
    // A message from the referrer reaches the reviewer who gave an opinion and the one holding the case.
    expect((await kit.claim(second!.token, slug)).body.id).toBe(c.id);
    expect((await kit.message(referrer.token, c.id, REPLY)).status).toBe(201);
    await expectEmails(c.id, everyone(['needsInfo'], ['newCase', 'reply', 'reply'], ['newCase', 'reply']));

    // The second, agreeing opinion answers it: the referrer hears, the reviewers do not.
    expect((await kit.opinion(second!.token, c.id, DIAGNOSIS, { management: MANAGEMENT })).body.status).toBe('answered');
    await expectEmails(c.id, everyone(['needsInfo', 'answered'], ['newCase', 'reply', 'reply'], ['newCase', 'reply']));

    // Photos and a note through a follow-up link: one email to the referrer.
    const link = await t.http.post(`/api/v1/cases/${c.id}/follow-up-links`).set(auth(referrer.token)).send({});
    expect(link.status).toBe(201);
    const sent = await t.http.post(`/f/${link.body.token}/photos`).set('accept', 'application/json').field('note', NOTE).attach('photos', fixturePath('orient-3.jpg'));
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    await expectEmails(c.id, everyone(['needsInfo', 'answered', 'followUp'], ['newCase', 'reply', 'reply'], ['newCase', 'reply']));

    const all = [referrer, asker!, second!, bystander!].flatMap((p) => smtp.to(p.email).filter(about(c.id)));
    expectNoPatientData(all);
    for (const m of all) {
      expect(m.subject).toContain(codeOf(c.id));
      expect(m.html).toContain(`href="${caseLink(c.id)}"`);
    }
  });

  it('holds the emails of a user who chose the daily digest and sends them in one email, once', async () => {
    const slug = await kit.queue(2);
    const [daily, immediate] = await kit.reviewers(2, [slug]);
    expect((await updateMe(daily!, { notifications: { email: { digest: true } } })).status).toBe(200);
    const referrer = await t.createUser('clinician');
    const cases = [await kit.openCase(referrer.token, { queue: slug, ...PRIVATE_CASE }), await kit.openCase(referrer.token, { queue: slug, ...PRIVATE_CASE })];
    for (const c of cases) await expectEmails(c.id, [[immediate!, ['newCase']], [daily!, []]]);
    expect(smtp.to(daily!.email)).toHaveLength(0);

    await t.app.jobs.run('sendDigests');
    await smtp.sync();
    const digests = smtp.to(daily!.email);
    expect(digests.map(kindOf)).toEqual(['digest']);
    for (const c of cases) {
      expect(digests[0]!.text).toContain(codeOf(c.id));
      expect(digests[0]!.text).toContain(caseLink(c.id));
      expect(digests[0]!.html).toContain(codeOf(c.id));
    }
    expectNoPatientData(digests);

    await t.app.jobs.run('sendDigests');
    await settled();
    expect(smtp.to(daily!.email)).toHaveLength(1);
  });

  /** A reviewer of a fresh queue and a new case in it: the case's newCase email is the one under test. */
  async function caseForOneReviewer() {
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const referrer = await t.createUser('clinician');
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(referrer.token))
      .field('case', JSON.stringify({ ...PRIVATE_CASE, ageYears: 42, sex: 'female', fitzpatrick: 3, durationDays: 30, urgency: 'routine', queue: slug }))
      .attach('photos', fixturePath('orient-1.jpg'));
    return { reviewer: reviewer!, res };
  }

  /** Once the retry time has come, one pass delivers the email; more passes do not send it again. */
  async function expectDeliveredOnceWhenDue(reviewer: Person) {
    const row = (await emailRow(reviewer.id))!;
    t.clock.advance(Number(row.next_attempt_at) - t.clock.now() + 1);
    await settled();
    expect(smtp.to(reviewer.email).map(kindOf)).toEqual(['newCase']);
    await settled();
    await settled();
    expect(smtp.to(reviewer.email)).toHaveLength(1);
    expect((await emailRow(reviewer.id))!.status).toBe('sent');
  }

  for (const step of ['rcpt', 'data'] as const) {
    it(`still answers 201 while the mail server says 451 at ${step.toUpperCase()}; the email goes once, after its retry wait`, async () => {
      await smtp.refuse(step);
      let reviewer: Person;
      try {
        const sent = await caseForOneReviewer();
        reviewer = sent.reviewer;
        expect(sent.res.status).toBe(201);
        await settled();
        expect(smtp.to(reviewer.email)).toHaveLength(0);
        expect(await emailRow(reviewer.id)).toMatchObject({ status: 'pending', attempts: 1, last_error: '451' });
        expect(Number((await emailRow(reviewer.id))!.next_attempt_at) - t.clock.now()).toBeGreaterThan(3_000);
      } finally {
        await smtp.refuse(false);
      }
      // Accepted again, but not yet due: nothing is sent before its time.
      await settled();
      expect(smtp.to(reviewer.email)).toHaveLength(0);
      await expectDeliveredOnceWhenDue(reviewer);
    });
  }

  it('still answers 201 while the mail server is down; the email goes once, when it is back and the retry wait is over', async () => {
    await smtp.stop();
    let reviewer: Person;
    try {
      const sent = await caseForOneReviewer();
      reviewer = sent.reviewer;
      expect(sent.res.status).toBe(201);
      await t.app.notifier.dispatcher.settle();
      expect(await emailRow(reviewer.id)).toMatchObject({ status: 'pending', attempts: 1 });
    } finally {
      await smtp.restart();
    }
    await settled();
    expect(smtp.to(reviewer.email)).toHaveLength(0);
    await expectDeliveredOnceWhenDue(reviewer);
  });

  it("emails the link of an admin's password reset to its user", async () => {
    const user = await t.createUser('clinician');
    const res = await t.http.post(`/api/v1/users/${user.id}/password-reset`).set(auth(await t.adminToken()));
    expect(res.status).toBe(201);
    expect(res.body.emailed).toBe(true);
    expect(res.body.url).toMatch(new RegExp(`^${PUBLIC_URL}/reset\\?token=`));
    const email = await smtp.waitFor(user.email);
    expect(email.subject).toMatch(/new password/i);
    expect(email.text).toContain(res.body.url);
    expect(email.html).toContain(`href="${res.body.url}"`);
    expect(email.headers.from).toBe(SMTP_FROM);
    await smtp.sync();
    expect(smtp.to(user.email)).toHaveLength(1);
    expect(t.logs.join('')).not.toContain(res.body.url.split('token=')[1]);
  });

  // Last: it moves the clock hours ahead.
  it('tells the reviewers of its queue and the admins, at once even with the digest, when a case passes its deadline unanswered', async () => {
    const slug = await kit.queue(2);
    const [onDigest] = await kit.reviewers(1, [slug]);
    expect((await updateMe(onDigest!, { notifications: { email: { digest: true } } })).status).toBe(200);
    const referrer = await t.createUser('clinician');
    const c = await kit.openCase(referrer.token, { queue: slug, urgency: 'urgent', ...PRIVATE_CASE });
    t.clock.advance(4 * 3_600_000 + 60_000);
    await t.app.jobs.run('announceOverdue');
    await expectEmails(c.id, [
      [onDigest!, ['overdue']],
      [ADMIN, ['overdue']],
      [referrer, []],
    ]);
    await t.app.jobs.run('announceOverdue');
    await expectEmails(c.id, [
      [onDigest!, ['overdue']],
      [ADMIN, ['overdue']],
    ]);
    expectNoPatientData(smtp.to(onDigest!.email));
  });
});

describe('without SMTP_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('starts, works as before, writes no email and says once that email is off', async () => {
    const kit = reviewKit(t);
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const referrer = await t.createUser('clinician');
    const c = await kit.openCase(referrer.token, { queue: slug });
    expect((await kit.claim(reviewer!.token, slug)).body.id).toBe(c.id);
    expect((await kit.message(reviewer!.token, c.id, 'Any itch?', true)).status).toBe(201);
    await t.app.notifier.dispatcher.settle();
    await t.app.jobs.run('sendDigests');
    expect(await t.sql.count('email_notifications')).toBe(0);
    const reset = await t.http.post(`/api/v1/users/${referrer.id}/password-reset`).set(auth(await t.adminToken()));
    expect(reset.status).toBe(201);
    expect(reset.body.emailed).toBe(false);
    expect((await t.http.get('/api/v1/me').set(auth(referrer.token))).body.notifications.email).toEqual(DEFAULT_CHOICES);
    expect(t.logs.filter((line) => line.includes('email is off'))).toHaveLength(1);
    expect(t.logs.filter((line) => line.includes('email is on'))).toHaveLength(0);
  });
});
