// The words of each email in the recipient's language: English as it always read, the others from the catalogue,
// counts and durations in the language's own plural forms.
import { describe, expect, it } from 'vitest';
import { digestEmail, emailLanguage, passwordResetEmail } from '../../../src/notifications/email-content.js';

const URL = 'https://derm.example.org';
const CASES = ['aaaaaaaa-1', 'bbbbbbbb-2'];

describe('email content', () => {
  it('reads the recipient’s chosen language, English when none or one we do not have', () => {
    expect(emailLanguage('zh-CN')).toBe('zh-CN');
    expect(emailLanguage('fr')).toBe('fr');
    expect(emailLanguage(null)).toBe('en');
    expect(emailLanguage('de')).toBe('en');
  });

  it('counts the digest’s events in each language, each case with its code and link', () => {
    const entries = [...CASES.map((caseId) => ({ kind: 'newCase' as const, caseId })), { kind: 'overdue' as const, caseId: CASES[0]! }];
    const english = digestEmail(entries, URL, 'en');
    expect(english.subject).toBe('Your daily teledermatology digest');
    expect(english.text).toContain('Since your last digest: 3 events.');
    expect(digestEmail(entries.slice(0, 1), URL, 'en').text).toContain('Since your last digest: 1 event.');
    const chinese = digestEmail(entries, URL, 'zh-CN');
    expect(chinese.subject).toBe('您的远程皮肤科每日摘要');
    expect(chinese.text).toContain('自上次摘要以来：3 条动态。');
    expect(chinese.text).toContain(`病例 aaaaaaaa 未能在期限内得到答复。 ${URL}/#/cases/aaaaaaaa-1`);
    expect(digestEmail(entries.slice(0, 1), URL, 'es').text).toContain('Desde su último resumen: 1 novedad.');
  });

  it('says how long a password reset link works, in the recipient’s words', () => {
    const link = `${URL}/reset?token=abc`;
    expect(passwordResetEmail(link, 24, 'en').text).toContain('It works once, for 24 hours.');
    const spanish = passwordResetEmail(link, 24, 'es');
    expect(spanish).toMatchObject({ language: 'es', subject: 'Establezca una nueva contraseña' });
    expect(spanish.text).toContain('Solo funciona una vez, durante 24 horas.');
    expect(spanish.text).toContain(`Establecer una nueva contraseña: ${link}`);
    expect(passwordResetEmail(link, 1, 'fr').text).toContain('pendant 1 heure.');
    expect(spanish.html).toContain(`href="${link}"`);
  });
});
