// Paths of the screens that are not the dashboard proper, and where to go back after signing in.

export const PUBLIC_PATHS = ['/login', '/register', '/setup', '/verify', '/reset'];

/** The path of a proxy's detail (and tab). */
export function proxyPath(id: string, tab: string | null = null): string {
  return `/proxies/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`;
}

/**
 * Where to go back to after signing in: a path of this app only (never another site: "//host"
 * or "/\\host" are refused), and never a sign-in page itself; else the start page.
 */
export function safeNext(next: string | null | undefined): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next)) return '/';
  const path = next.split(/[?#]/)[0].replace(/\/+$/, '');
  return PUBLIC_PATHS.includes(path) ? '/' : next;
}

/** The sign-in page that leads back to `location` (pathname + search) once signed in. */
export function signInPath({ pathname, search = '' }: { pathname: string; search?: string }): string {
  const here = safeNext(`${pathname}${search}`);
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}
