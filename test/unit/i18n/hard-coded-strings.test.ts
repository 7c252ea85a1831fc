// No words a person reads may be written into the browser code: they belong in the catalogues
// (src/i18n/messages), or a Chinese, Spanish or French reader meets English. This reads every script of the
// web app and the follow-up page with the TypeScript parser and fails on a string or template that reads as
// words (a capitalised word, or two words with a space) outside a t('…') key, unless it is plainly
// technical (a CSS class list, a selector, a URL, a MIME type, a date format). A new hard-coded sentence
// fails here with its file and line.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const WEB = path.resolve('src/web');
const SCRIPTS = [...fs.readdirSync(path.join(WEB, 'public'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => path.join(WEB, 'public', f)), path.join(WEB, 'follow-up/follow-up.js'), path.join(WEB, 'account/account.js')];

/** Reads as words a person would read. */
const WORDS = /(^|[^\w-])[A-Z][a-z]{2,}\b|\b[a-z]{2,}[,.]? [a-z]{2,}\b/;
/** Plainly technical: CSS classes, selectors, attribute lists, URLs and paths, MIME types, format strings. */
const TECHNICAL = [
  /^[a-z0-9_-]+( [a-z0-9_-]+)*$/, // class lists, token lists
  /^[#.[a-z*:][^ ]*( [>+~]? ?[#.[a-z*:][^ ]*)*$/, // selectors
  /^(https?:|\/|\.\/|\.\.\/|data:|blob:|mailto:|tel:)/, // URLs and paths
  /^[a-z]+\/[a-z0-9.+-]+(;.*)?$/i, // MIME types
  /^(Bearer|Content-Type|Last-Event-ID|Accept|Authorization)\b/, // protocol words
  /^(Tab|Enter|Escape|Backspace|Delete|Home|End|PageUp|PageDown|Shift|Control|Alt|Meta|Arrow(Up|Down|Left|Right))$/, // key names
];

interface Finding {
  file: string;
  line: number;
  text: string;
}

function findings(file: string): Finding[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: Finding[] = [];
  const isKeyOfT = (node: ts.Node) => ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && node.parent.expression.text === 't' && node.parent.arguments[0] === node;
  const isImport = (node: ts.Node) => ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent) || (ts.isCallExpression(node.parent) && node.parent.expression.kind === ts.SyntaxKind.ImportKeyword);
  const isPropertyName = (node: ts.Node) => ts.isPropertyAssignment(node.parent) && node.parent.name === node;
  // Thrown errors are for developers and the console, not for people (what people read comes from the API's messages).
  const inThrow = (node: ts.Node) => {
    for (let n: ts.Node | undefined = node; n; n = n.parent) if (ts.isThrowStatement(n) || (ts.isNewExpression(n) && /Error$/.test(n.expression.getText()))) return true;
    return false;
  };
  const visit = (node: ts.Node) => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
    if (text !== null && !isKeyOfT(node) && !isImport(node) && !isPropertyName(node) && !inThrow(node)) {
      const trimmed = text.trim();
      if (WORDS.test(trimmed) && !TECHNICAL.some((re) => re.test(trimmed))) {
        found.push({ file: path.relative(process.cwd(), file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: trimmed.slice(0, 80) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('words in the browser code', () => {
  it('finds words when they are there (the check itself)', () => {
    const tmp = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'words-')), 'x.js');
    fs.writeFileSync(tmp, "h('button', { class: 'primary small' }, 'Send photos'); t('web-case.send'); el.querySelector('#a .b');\n");
    expect(findings(tmp).map((f) => f.text)).toEqual(['Send photos']);
  });

  it('has none outside the catalogues', () => {
    const all = SCRIPTS.flatMap(findings);
    expect(all.map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });
});
