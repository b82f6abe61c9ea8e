// The verdict's labels in words (vocabulary.js) as two tables, capability
// classes and root causes, each row with the code the API and the exports
// use, so a reader can map one to the other.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { CAPABILITIES, CAUSES, describe, versionNote } from '../vocabulary.js';
import { builtDownloads } from './downloads.js';
import { sortable } from './sortable.js';

function table(caption, kind, entries) {
  return h('div', { class: 'table-wrap' }, sortable(h('table', { class: 'glossary', 'data-glossary': kind },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('dash.glossary.label')),
      h('th', { scope: 'col' }, t('dash.glossary.code')),
      h('th', { scope: 'col' }, t('dash.glossary.meaning')))),
    h('tbody', {}, entries.map(([code, d]) => {
      const note = versionNote(d);
      return h('tr', { 'data-label': code, 'data-kind': kind },
        h('th', { scope: 'row' }, d.name),
        h('td', {}, h('code', {}, code)),
        h('td', {}, d.text, note ? [' ', h('span', { class: 'tag' }, note)] : null));
    })))));
}

// Every label but the UNSPECIFIED ones, which a verdict never carries
// (CAPABILITY_UNSPECIFIED means "no verdict").
export function glossary() {
  // Each in the reader's language (describe), in vocabulary.js's order.
  const real = (o) => Object.keys(o).filter((code) => !code.endsWith('_UNSPECIFIED'))
    .map((code) => [code, describe(code)]);
  const rows = (kind, o) => real(o).map(([code, d]) => ({
    kind, code, name: d.name, meaning: d.text, note: versionNote(d) || '',
  }));
  return [
    table(t('dash.glossary.capabilities'), 'capability', real(CAPABILITIES)),
    table(t('dash.glossary.causes'), 'cause', real(CAUSES)),
    builtDownloads('labels', [['kind', 'kind'], ['code', 'code'], ['name', 'name'],
      ['meaning', 'meaning'], ['note', 'note']], [...rows('capability', CAPABILITIES), ...rows('cause', CAUSES)]),
  ];
}
