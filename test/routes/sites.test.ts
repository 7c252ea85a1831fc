// Sites over real HTTP: an optional contact (a phone number or an address on one line) on creation, in
// every site body, and changed by an admin, who may also rename a site or change its tier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth } from '../helpers/review-kit.js';

describe('sites and their contact', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
  });
  afterAll(async () => t.close());

  const create = (body: Record<string, unknown>) => t.http.post('/api/v1/sites').set(auth(admin)).send(body);
  const change = (id: string, body: Record<string, unknown>, token = admin) => t.http.patch(`/api/v1/sites/${id}`).set(auth(token)).send(body);

  it('takes an optional contact, trimmed, blank for none, and shows it in every site body', async () => {
    const withContact = await create({ name: 'Riverside Clinic', tier: 'primary', contact: '  +86 871 6543 2100 ' });
    expect(withContact.status).toBe(201);
    expect(withContact.body).toMatchObject({ name: 'Riverside Clinic', tier: 'primary', contact: '+86 871 6543 2100' });
    const without = await create({ name: 'Hill Clinic', tier: 'secondary' });
    expect(without.body.contact).toBeNull();
    const blank = await create({ name: 'Valley Clinic', tier: 'tertiary', contact: '   ' });
    expect(blank.body.contact).toBeNull();
    const explicitNull = await create({ name: 'Lake Clinic', tier: 'primary', contact: null });
    expect(explicitNull.body.contact).toBeNull();

    const list = await t.http.get('/api/v1/sites').set(auth(admin));
    expect(list.status).toBe(200);
    const byId = new Map((list.body as { id: string; contact: string | null }[]).map((s) => [s.id, s.contact]));
    expect(byId.get(withContact.body.id)).toBe('+86 871 6543 2100');
    expect(byId.get(without.body.id)).toBeNull();
    expect(await t.sql.one('select contact from sites where id = ?', blank.body.id)).toEqual({ contact: null });
  });

  it('refuses a contact that is too long, spans lines, holds control characters or is not text', async () => {
    const before = await t.sql.count('sites');
    for (const contact of ['9'.repeat(201), '12 Main Street\nHill Town', 'call\u0000me', 'line\u2028break', 42, ['+86']]) {
      const res = await create({ name: 'Refused Clinic', tier: 'primary', contact });
      expect(res.status, JSON.stringify(contact)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.message).toContain('contact');
    }
    expect(await t.sql.count('sites')).toBe(before);
    expect((await create({ name: 'Longest Clinic', tier: 'primary', contact: '9'.repeat(200) })).status).toBe(201);
  });

  it('lets an admin change the name, tier and contact, and clear the contact with null', async () => {
    const site = (await create({ name: 'Old Name Clinic', tier: 'primary' })).body as { id: string };
    const named = await change(site.id, { name: 'New Name Clinic', tier: 'secondary', contact: 'Room 4, 12 Main Street, Hill Town' });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ id: site.id, name: 'New Name Clinic', tier: 'secondary', contact: 'Room 4, 12 Main Street, Hill Town' });
    // What is left out stays as it was.
    const phoneOnly = await change(site.id, { contact: '+86 871 000 111' });
    expect(phoneOnly.body).toMatchObject({ name: 'New Name Clinic', tier: 'secondary', contact: '+86 871 000 111' });
    const renamed = await change(site.id, { name: 'Newest Name Clinic' });
    expect(renamed.body.contact).toBe('+86 871 000 111');
    const cleared = await change(site.id, { contact: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.contact).toBeNull();
    expect(await t.sql.one('select name, tier, contact from sites where id = ?', site.id)).toEqual({ name: 'Newest Name Clinic', tier: 'secondary', contact: null });
    expect((await change(site.id, { contact: ' ' })).body.contact).toBeNull();

    const audit = await t.http.get('/api/v1/audit?action=site.update&limit=100').set(auth(admin));
    const changes = (audit.body.items as { targetId: string; detail: unknown }[]).filter((e) => e.targetId === site.id).reverse();
    expect(changes).toHaveLength(5);
    // Which fields changed, not what they now say.
    expect(changes[0]!.detail).toEqual({ fields: ['contact', 'name', 'tier'] });
  });

  it('refuses an empty or unknown change (400), an unknown site (404), and anyone but an admin (403)', async () => {
    const site = (await create({ name: 'Guarded Clinic', tier: 'primary', contact: '+86 1' })).body as { id: string };
    for (const body of [{}, { other: 1 }, { tier: 'quaternary' }, { name: '' }, { contact: 'two\nlines' }]) {
      const res = await change(site.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    expect((await change('no-such-site', { contact: null })).status).toBe(404);
    for (const role of ['clinician', 'reviewer'] as const) {
      const user = await t.createUser(role, role === 'reviewer' ? { queues: ['general'] } : {});
      expect((await change(site.id, { contact: null }, user.token)).status).toBe(403);
    }
    expect((await t.http.patch(`/api/v1/sites/${site.id}`).send({ contact: null })).status).toBe(401);
    expect(await t.sql.one('select contact from sites where id = ?', site.id)).toEqual({ contact: '+86 1' });
  });
});
