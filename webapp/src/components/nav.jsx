// View switching without a router: the App owns the current route and hands `navigate` down
// through this context; Link is a real <a href>, so opening in a new tab still works.
import { createContext, useContext } from 'react';

export const NavContext = createContext(() => {});

/** navigate(path, { replace }) switches view and records it in the browser history. */
export function useNavigate() {
  return useContext(NavContext);
}

export function Link({ to, onClick, ...props }) {
  const navigate = useNavigate();
  const click = (e) => {
    if (onClick) onClick(e);
    // Modified or middle clicks keep the browser's own behaviour (new tab, new window).
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...props} />;
}
