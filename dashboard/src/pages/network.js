// "#/asn/13335": one origin AS's measured capability and time series.
import { aggregates } from '../api.js';
import { add, h } from '../dom.js';
import { windowLabel } from '../format.js';
import { href, windowParams, SERIES_WINDOWS } from '../router.js';
import { timeSeries } from '../charts/time-series.js';
import { groupSummary } from '../components/group-summary.js';
import { empty } from '../components/messages.js';
import { notFound } from './not-found.js';

export async function render(view, route, { width }) {
  const asn = (route.args[0] || '').replace(/^AS/i, '');
  if (!/^\d{1,10}$/.test(asn) || Number(asn) > 4294967295) {
    return notFound(view, `"${route.args[0] || ''}" is not an AS number.`);
  }
  const params = { ...windowParams(route), group_by: 'asn', asn };
  const [current, series] = await Promise.all([
    aggregates(params),
    aggregates({ ...params, windows: SERIES_WINDOWS[route.window] }),
  ]);
  const group = current.groups[0];
  const named = [group, ...series.groups].find((g) => g && g.name);
  const title = named ? `AS${asn} ${named.name}` : `AS${asn}`;

  add(view,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: href(route) }, 'World'), ' › ', `AS${asn}`),
    h('h1', { 'data-asn': asn }, title),
    h('p', { class: 'window-label' },
      group ? `${windowLabel(route.window, group.windowStart, group.windowEnd)} (UTC)` : `Current ${route.window} (UTC)`),
    h('div', { class: 'cards single' }, groupSummary(group, current.meta.minProbes)),
    h('section', { 'aria-labelledby': 'series-h' },
      h('h2', { id: 'series-h' }, `Last ${SERIES_WINDOWS[route.window]} ${route.window}s`),
      series.groups.length
        ? timeSeries({
          groups: series.groups, series: ['v6_capable', 'v6_preferred', 'v6_broken'],
          width, kind: route.window, label: `${title} over time`,
        })
        : empty('No probe in this network ran in these windows.')));
  return title;
}
