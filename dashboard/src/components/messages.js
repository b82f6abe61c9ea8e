// Short messages shared by the pages.
import { h } from '../dom.js';
import { dateTimeUtc } from '../format.js';
import { t, tn } from '../i18n.js';

export function insufficientNote(minProbes) {
  return h('p', { class: 'insufficient-note' },
    tn('dash.insufficient_note', {
      label: h('strong', {}, t('dash.insufficient_label')), k: minProbes || 'k',
    }));
}

export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' },
    h('h1', {}, t('dash.error.heading')),
    h('p', {}, err && err.message ? err.message : String(err)),
    h('p', {}, t('dash.error.try_later')));
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

// A view without any group: say so, with the newest stored run when the
// collector tells it (AggregatesResponse.latest_run_at), so a reader can
// move the window there.
export function noData(meta) {
  const latest = meta && meta.latestRunAt;
  return h('p', { class: 'empty', 'data-no-data': 'true', 'data-latest-run-at': latest || null },
    latest ? t('dash.no_data_latest', { latest: dateTimeUtc(latest) }) : t('dash.no_data'));
}

// The mark on sample data: `synthetic` probes of `total` in the view
// (GroupAggregate.synthetic_probes, ProbeSummary.synthetic). Nothing when
// none is synthetic.
export function syntheticBadge(synthetic, total) {
  if (!(synthetic > 0)) return null;
  return h('p', { class: 'synthetic-badge', role: 'note', 'data-synthetic': synthetic },
    h('strong', {}, t('dash.synthetic.badge')),
    ' · ',
    total ? t('dash.synthetic.of_total', { synthetic, total }) : t('dash.synthetic.this_probe'));
}

// Synthetic probes of a view: the largest count any of its answers sums
// to (each counts every probe once), with that answer's probes.
export function syntheticOf(...results) {
  let best = { synthetic: 0, probes: 0 };
  for (const r of results) {
    const synthetic = r.groups.reduce((n, g) => n + g.syntheticProbes, 0);
    if (synthetic > best.synthetic) {
      best = { synthetic, probes: r.groups.reduce((n, g) => n + g.probes, 0) };
    }
  }
  return best;
}
