// Hash routing: '#/cases/abc' -> the view registered for '/cases/:id', with { id: 'abc' }.

/** @typedef {import('../../types.js').RouteHandler} RouteHandler */

/** @type {{ regex: RegExp, names: string[], handler: RouteHandler }[]} */
const routes = [];

/**
 * @param {string} pattern
 * @param {RouteHandler} handler
 */
export function route(pattern, handler) {
  /** @type {string[]} */
  const names = [];
  const regex = new RegExp(
    `^${pattern.replace(/\/:([a-zA-Z]+)/g, (/** @type {string} */ _m, /** @type {string} */ name) => {
      names.push(name);
      return '/([^/]+)';
    })}$`,
  );
  routes.push({ regex, names, handler });
}

export function currentPath() {
  const hash = location.hash.replace(/^#/, '');
  const [path] = hash.split('?');
  return path || '/';
}

export function currentQuery() {
  const [, qs = ''] = location.hash.replace(/^#/, '').split('?');
  return new URLSearchParams(qs);
}

/**
 * @param {string} path
 * @returns {{ handler: RouteHandler, params: Record<string, string> } | null}
 */
export function match(path) {
  for (const { regex, names, handler } of routes) {
    const m = regex.exec(path);
    if (m) return { handler, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(/** @type {string} */ (m[i + 1]))])) };
  }
  return null;
}

/** @param {string} path */
export function navigate(path) {
  if (currentPath() === path) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = `#${path}`;
}
