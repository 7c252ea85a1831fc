// The shell of the small server-rendered pages outside the web app (the patients' follow-up page, the
// /setup and /reset pages): one card, never indexed, no referrer sent, no inline script or style (the CSP
// forbids both), the page's own stylesheet and scripts.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface CardPage {
  /** The page's language, a BCP 47 tag (default English). */
  language?: string;
  title: string;
  /** HTML, already escaped where it carries text. */
  body: string;
  stylesheet: string;
  /** Run in this order once the page is parsed. */
  scripts?: readonly string[];
  /** Says the page is light only, so that a dark-mode phone does not invert its photos' surroundings. */
  lightOnly?: boolean;
}

export function cardPage({ language = 'en', title, body, stylesheet, scripts = [], lightOnly = false }: CardPage): string {
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
${lightOnly ? '<meta name="color-scheme" content="light">\n' : ''}<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${stylesheet}">
${scripts.map((script) => `<script src="${script}" defer></script>\n`).join('')}</head>
<body>
<main class="card">
${body}
</main>
</body>
</html>
`;
}
