// "Download: CSV · JSON" under each view's table or chart: the data behind
// it. Where the collector has the file (the aggregates export, the JSON
// API) the link is that URL with the view's parameters, so a researcher
// can reuse it; otherwise the file is built from the numbers the view
// shows, as a data: URL (small: one row per table row).
import { apiUrl, readKey } from '../api.js';
import { h } from '../dom.js';
import { has, t, tn } from '../i18n.js';

// RFC 4180: quote fields with a comma, quote or line break.
function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// columns: header names; rows: arrays of values in that order.
export function toCsv(columns, rows) {
  return [columns, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function dataUrl(type, text) {
  return `data:${type};charset=utf-8,${encodeURIComponent(text)}`;
}

// With a read key (api.js), a plain link would be refused (401): fetch the
// file with the key and hand it over as a blob instead.
function withKey(event) {
  const a = event.currentTarget;
  const key = readKey();
  if (!key || !a.getAttribute('href').startsWith('api/')) return;
  event.preventDefault();
  fetch(a.getAttribute('href'), { headers: { Authorization: `Bearer ${key}` } })
    .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((blob) => {
      const url = URL.createObjectURL(blob);
      const tmp = h('a', { href: url, download: a.getAttribute('download') });
      document.body.append(tmp);
      tmp.click();
      tmp.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    })
    .catch((err) => console.error('download failed', err));
}

// What each view's files hold, in words (several views share a page):
// the message dash.download.<view>.
const what = (view) => (has(`dash.download.${view}`) ? t(`dash.download.${view}`) : view);

function link(view, format, href, filename) {
  return h('a', {
    href, download: filename, 'data-download': format, 'data-view': view, onclick: withKey,
    'aria-label': t('dash.download.as', { what: what(view), format: format.toUpperCase() }),
  }, format.toUpperCase());
}

// name: the view ("countries", "series"...); files: {csv, json} hrefs.
export function downloads(name, { csv, json }) {
  return h('p', { class: 'downloads', 'data-downloads': name },
    tn('dash.download', {
      what: what(name),
      csv: link(name, 'csv', csv, `v6scope-${name}.csv`),
      json: link(name, 'json', json, `v6scope-${name}.json`),
    }));
}

// The links of an aggregates view (api.js aggregates() result): the
// export's CSV and the API's JSON with the same parameters. An answer of
// more than one page is saved whole from what the view holds.
export function aggregateDownloads(name, result) {
  const csv = apiUrl('api/v1/export/aggregates', { format: 'csv', ...result.params });
  const json = result.pages > 1
    ? dataUrl('application/json', JSON.stringify({ groups: result.raw }, null, 1))
    : apiUrl('api/v1/aggregates', { ...result.params, page_size: 1000 });
  return downloads(name, { csv, json });
}

// A view without an export: both files built from the rows it shows.
// columns: [header, key]; rows: objects.
export function builtDownloads(name, columns, rows) {
  const csv = toCsv(columns.map(([header]) => header),
    rows.map((r) => columns.map(([, key]) => r[key])));
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(
    columns.map(([header, key]) => [header, r[key]]))), null, 1);
  return downloads(name, {
    csv: dataUrl('text/csv', csv), json: dataUrl('application/json', json),
  });
}
