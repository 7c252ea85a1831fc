// Hash routing: '#/cases/abc' -> the view registered for '/cases/:id', with { id: 'abc' }.

const routes = [];

export function route(pattern, handler) {
  const names = [];
  const regex = new RegExp(
    `^${pattern.replace(/\/:([a-zA-Z]+)/g, (_m, name) => {
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

export function match(path) {
  for (const { regex, names, handler } of routes) {
    const m = regex.exec(path);
    if (m) return { handler, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

export function navigate(path) {
  if (currentPath() === path) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = `#${path}`;
}
