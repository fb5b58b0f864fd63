// Which view a path shows. Each view has its own path, so it can be bookmarked and reloaded (the
// admin API serves index.html for any page path); the app switches views with history.pushState.

// Views anyone may open; every other view needs a session.
const PUBLIC = { '/login': 'signin', '/register': 'register', '/setup': 'setup', '/verify': 'verify', '/reset': 'reset' };
const SIGNED_IN = { '/account': 'account', '/tokens': 'tokens', '/users': 'users', '/audit': 'audit' };

/** The view for a location: { name, public, ...its parameters }. Unknown paths show the proxies. */
export function routeFrom(pathname, search = '') {
  const query = new URLSearchParams(search);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (PUBLIC[path]) {
    return {
      name: PUBLIC[path],
      public: true,
      token: query.get('token') || null,
      next: safeNext(query.get('next')),
      error: query.get('error') || null,
    };
  }
  if (SIGNED_IN[path]) return { name: SIGNED_IN[path], public: false };
  const proxy = /^\/proxies\/([^/]+)(?:\/([^/]+))?/.exec(path);
  return { name: 'proxies', public: false, id: proxy ? decodeURIComponent(proxy[1]) : null, tab: proxy ? proxy[2] || null : null };
}

/** The path of a proxy's detail (and tab), or of the proxy list. */
export function proxyPath(id, tab = null) {
  return id ? `/proxies/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}` : '/';
}

/**
 * Where to go back to after signing in: a path of this app only (never another site: "//host"
 * or "/\\host" are refused), and never a sign-in page itself; else the start page.
 */
export function safeNext(next) {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next)) return '/';
  const path = next.split(/[?#]/)[0].replace(/\/+$/, '');
  return PUBLIC[path] ? '/' : next;
}

/** The sign-in page that leads back to `location` (pathname + search) once signed in. */
export function signInPath({ pathname, search = '' }) {
  const here = safeNext(`${pathname}${search}`);
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}
