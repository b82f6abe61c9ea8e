// Unknown routes and malformed codes.
import { add, h } from '../dom.js';
import { t } from '../i18n.js';

export function notFound(view, why) {
  add(view,
    h('h1', {}, t('dash.not_found')),
    h('p', {}, why || t('dash.not_found.no_page')),
    h('p', {}, h('a', { href: '#/' }, t('dash.not_found.back'))));
  return t('dash.not_found');
}

export async function render(view) {
  return notFound(view);
}
