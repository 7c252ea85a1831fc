// What each email says, in its recipient's language (area `email` of the catalogues). An email may sit in a
// shared inbox or on a lost phone, so it never carries patient data: a short case code, what happened, and
// a link that asks for a sign-in. Text and HTML parts say the same.
import { DEFAULT_LANGUAGE, supportedLanguage } from '../i18n/languages.js';
import { translator, type Translate } from '../i18n/messages.js';
import type { EmailKind, Language } from '../vocabulary.js';

export interface EmailContent {
  /** The language it is written in (its Content-Language). */
  language: Language;
  subject: string;
  text: string;
  html: string;
}

/** The language a user reads their email in: the one they chose, English when they chose none. */
export function emailLanguage(chosen: string | null | undefined): Language {
  return supportedLanguage(chosen) ?? DEFAULT_LANGUAGE;
}

/** A short reference to a case that people can read out and match (the first characters of its random id). */
export function caseCode(caseId: string): string {
  return caseId.slice(0, 8);
}

export function caseLink(publicUrl: string, caseId: string): string {
  return `${publicUrl}/#/cases/${encodeURIComponent(caseId)}`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function email(language: Language, subject: string, lines: string[], link: { href: string; label: string }): EmailContent {
  const t = translator(language);
  const footer = t('email.footer');
  const text = [...lines, '', t('email.link', { label: link.label, url: link.href }), '', footer].join('\n');
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;line-height:1.5">`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
    `<p style="color:#666;font-size:smaller">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { language, subject, text, html };
}

/** The sentence that says what happened to a case, as in the event's email and in the digest. */
const whatHappened = (t: Translate, kind: EmailKind, caseId: string) => t(`email.${kind}.line`, { code: caseCode(caseId) });

export function eventEmail(kind: EmailKind, caseId: string, publicUrl: string, language: Language): EmailContent {
  const t = translator(language);
  return email(language, t(`email.${kind}.subject`, { code: caseCode(caseId) }), [whatHappened(t, kind, caseId)], {
    href: caseLink(publicUrl, caseId),
    label: t('email.openCase'),
  });
}

export interface DigestEntry {
  kind: EmailKind;
  caseId: string | null;
}

/** One email a day instead of one per event: each case once per kind, with its link. */
export function digestEmail(entries: DigestEntry[], publicUrl: string, language: Language): EmailContent {
  const t = translator(language);
  const lines = [t('email.digest.count', { count: entries.length })];
  const seen = new Set<string>();
  for (const e of entries) {
    const key = `${e.kind}:${e.caseId}`;
    if (seen.has(key) || !e.caseId) continue;
    seen.add(key);
    lines.push(`${whatHappened(t, e.kind, e.caseId)} ${caseLink(publicUrl, e.caseId)}`);
  }
  return email(language, t('email.digest.subject'), lines, { href: `${publicUrl}/#/cases`, label: t('email.digest.open') });
}

export function passwordResetEmail(url: string, hours: number, language: Language): EmailContent {
  const t = translator(language);
  return email(language, t('email.passwordReset.subject'), [t('email.passwordReset.line', { hours }), t('email.passwordReset.unexpected')], {
    href: url,
    label: t('email.passwordReset.action'),
  });
}
