// The header's window selector (day / week / month) and "as of" date: they
// change the query part of the current route.
import { parseRoute, href } from '../router.js';

export function bindWindowPicker(form) {
  const select = form.elements.window;
  const at = form.elements.at;
  const apply = () => {
    const route = parseRoute(location.hash);
    const next = { ...route, window: select.value, at: at.value };
    location.hash = href(next, ...(route.page === 'world' ? [] : [route.page, ...route.args]));
  };
  select.addEventListener('change', apply);
  at.addEventListener('change', apply);
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  return (route) => {
    select.value = route.window;
    at.value = route.at;
  };
}
