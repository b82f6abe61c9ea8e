// The header's window selector (day / week / month) and "as of" date: they
// change the query part of the current route. Shown only on the pages
// whose numbers depend on them (WINDOWED_PAGES): the probe list, a probe's
// newest verdict, the methodology, the Services pages and the map's
// readiness measure ignore the window.
import { parseRoute, href } from '../router.js';

export const WINDOWED_PAGES = ['world', 'country', 'asn'];

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
    // The map's readiness measure is of a campaign's rounds, not a window.
    const windowed = WINDOWED_PAGES.includes(route.page)
      && !(route.page === 'world' && route.params.measure === 'services');
    form.hidden = !windowed;
    form.dataset.windowed = String(windowed);
    select.value = route.window;
    at.value = route.at;
  };
}
