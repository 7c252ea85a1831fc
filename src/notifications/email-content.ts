// What each email says. An email may sit in a shared inbox or on a lost phone, so it never carries patient
// data: a short case code, what happened, and a link that asks for a sign-in. Text and HTML parts say the same.
import type { EmailKind } from '../vocabulary.js';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** A short reference to a case that people can read out and match (the first characters of its random id). */
export function caseCode(caseId: string): string {
  return caseId.slice(0, 8);
}

export function caseLink(publicUrl: string, caseId: string): string {
  return `${publicUrl}/#/cases/${encodeURIComponent(caseId)}`;
}

const WHAT_HAPPENED: Record<EmailKind, { subject: string; line: string }> = {
  newCase: { subject: 'New case {code} in your queue', line: 'A new case, {code}, is waiting in one of your queues.' },
  answered: { subject: 'Case {code} has been answered', line: 'The specialists have answered case {code}.' },
  needsInfo: { subject: 'Case {code}: a specialist asks for information', line: 'A specialist reviewing case {code} has asked you a question.' },
  reply: { subject: 'Case {code}: the referrer replied', line: 'The referrer of case {code}, which you reviewed or hold, has replied.' },
  followUp: { subject: 'Case {code}: follow-up photos arrived', line: 'Follow-up photos have arrived for case {code}.' },
  overdue: { subject: 'Case {code} is past its deadline', line: 'Case {code} has not been answered within its deadline.' },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(lines: string[], link: { href: string; label: string } | null): Pick<EmailContent, 'text' | 'html'> {
  const footer = 'You receive this because of your notification choices; change them under "Your account".';
  const text = [...lines, ...(link ? ['', `${link.label}: ${link.href}`] : []), '', footer].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '',
    `<p style="color:#666;font-size:smaller">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { text, html };
}

export function eventEmail(kind: EmailKind, caseId: string, publicUrl: string): EmailContent {
  const code = caseCode(caseId);
  const words = WHAT_HAPPENED[kind];
  return {
    subject: words.subject.replace('{code}', code),
    ...layout([words.line.replace('{code}', code)], { href: caseLink(publicUrl, caseId), label: 'Open the case' }),
  };
}

export interface DigestEntry {
  kind: EmailKind;
  caseId: string | null;
}

/** One email a day instead of one per event: each case once per kind, with its link. */
export function digestEmail(entries: DigestEntry[], publicUrl: string): EmailContent {
  const lines = [`Since your last digest: ${entries.length} ${entries.length === 1 ? 'event' : 'events'}.`];
  const seen = new Set<string>();
  for (const e of entries) {
    const key = `${e.kind}:${e.caseId}`;
    if (seen.has(key) || !e.caseId) continue;
    seen.add(key);
    lines.push(`${WHAT_HAPPENED[e.kind].line.replace('{code}', caseCode(e.caseId))} ${caseLink(publicUrl, e.caseId)}`);
  }
  return { subject: 'Your daily teledermatology digest', ...layout(lines, { href: `${publicUrl}/#/cases`, label: 'Open the service' }) };
}

export function passwordResetEmail(url: string, hours: number): EmailContent {
  return {
    subject: 'Set a new password',
    ...layout([`An administrator has issued a link for you to set a new password. It works once, for ${hours} hours.`, 'If you did not expect this, tell your administrator.'], {
      href: url,
      label: 'Set a new password',
    }),
  };
}
