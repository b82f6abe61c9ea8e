// Boots the dashboard: renders the page of the current hash route into
// <main>, keeps the header's window picker and the footer in step.
// body[data-ready] is "true" once a page has rendered (tests wait for it).
// The reader's language is loaded first (i18n.js): every page renders in it.
import { aggregates, currentMeta, onMeta } from './api.js';
import { LANGS, LANG_NAMES, lang, loadLanguage, pickLanguage, t } from './i18n.js';
import { h } from './dom.js';
import { parseRoute } from './router.js';
import { bindWindowPicker } from './components/window-picker.js';
import { renderFooter } from './components/footer.js';
import { errorBox } from './components/messages.js';
import * as world from './pages/world.js';
import * as country from './pages/country.js';
import * as network from './pages/network.js';
import * as probes from './pages/probes.js';
import * as probe from './pages/probe.js';
import * as methodology from './pages/methodology.js';
import * as services from './pages/services.js';
import * as notFound from './pages/not-found.js';

const PAGES = { world, country, asn: network, probes, probe, methodology, services };
const main = document.getElementById('main');
let syncPicker = () => {};
// The skip link must not change the hash: the hash is the route.
document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

// index.html's own text: elements marked data-i18n / data-i18n-aria-label.
function translateStatic() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}

// The header's language picker: a choice reloads the page with ?lang=,
// keeping the route (the address says the language, so a link shares it).
function bindLanguagePicker(select) {
  for (const code of LANGS) {
    const option = document.createElement('option');
    option.value = code;
    option.lang = code;
    option.textContent = LANG_NAMES[code];
    select.append(option);
  }
  select.value = lang();
  select.addEventListener('change', () => {
    const query = new URLSearchParams(location.search);
    query.set('lang', select.value);
    location.search = query.toString();
  });
}

let sequence = 0;
let renderedWidth = 0;
let firstRender = true;

function contentWidth() {
  const style = getComputedStyle(main);
  return Math.max(280, main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
}

async function renderRoute() {
  const seq = ++sequence;
  const route = parseRoute(location.hash);
  const page = PAGES[route.page] || notFound;
  syncPicker(route);
  for (const a of document.querySelectorAll('[data-nav]')) {
    const current = a.dataset.nav === route.page || (a.dataset.nav === 'world' && route.page === 'country')
      || (a.dataset.nav === 'probes' && route.page === 'probe');
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  document.body.dataset.ready = 'false';
  main.setAttribute('aria-busy', 'true');
  const width = contentWidth();
  const view = h('div', { class: 'view', 'data-page': route.page });
  // The footer's versions come with any aggregates answer; pages that ask
  // none (probes) get them from the global group.
  const meta = currentMeta() ? null : aggregates({ group_by: 'global' }).catch(() => null);
  let title;
  try {
    title = await page.render(view, route, { width });
    await meta;
  } catch (err) {
    console.error(err);
    view.replaceChildren(errorBox(err));
    view.dataset.error = 'true';
    title = t('dash.error_title');
  }
  if (seq !== sequence) return;  // A newer route won.
  main.replaceChildren(view);
  main.removeAttribute('aria-busy');
  document.title = `${title || 'v6scope'} · v6scope`;
  renderedWidth = width;
  if (!firstRender) main.focus({ preventScroll: false });
  firstRender = false;
  document.body.dataset.ready = 'true';
}

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (Math.abs(contentWidth() - renderedWidth) > 40) renderRoute();
  }, 250);
});
async function boot() {
  await loadLanguage(pickLanguage());
  translateStatic();
  bindLanguagePicker(document.getElementById('lang-picker'));
  syncPicker = bindWindowPicker(document.getElementById('window-picker'));
  onMeta((meta) => renderFooter(document.getElementById('footer'), meta));
  window.addEventListener('hashchange', renderRoute);
  renderRoute();
}
boot();
