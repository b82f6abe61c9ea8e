// The world map: one path per country, shaded by a share per country —
// the IPv6-capable share of probes, or the share of a sector's domains
// working over IPv6 (the world page's two measures) — hatched where the
// country's figure is withheld (too few probes or networks), grey where
// nothing was measured. Countries with an entry link to their page.
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';

import { h, svg } from '../dom.js';
import { shareColor, NO_DATA_FILL, HATCH_ID } from './colors.js';

function hatchPattern() {
  return svg('pattern', {
    id: HATCH_ID, width: 6, height: 6, patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)',
  },
  svg('rect', { width: 6, height: 6, fill: '#f2f2f2' }),
  svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#8c8c8c', 'stroke-width': 2 }));
}

// topology: world.json; entries: Map alpha-2 -> {name, status
// ("published" | "insufficient"), share ({value, ciLow, ciHigh}) when
// published, data (more data-* attributes)}; describe(name, entry) -> the
// country's text (entry undefined: nothing measured); linkFor(code) ->
// href; nameOf(code) -> the country's name in the reader's language (the
// map's own names are English); label: the map's accessible name; hint: the caption before a
// country is pointed at. Returns {figure, missing}: missing lists the
// entries whose country is not drawn at this scale.
export function worldMap({ topology, entries, width, linkFor, describe, nameOf, label, hint }) {
  const countries = feature(topology, topology.objects.countries).features
    .filter((f) => f.id !== 'AQ');  // Antarctica: no networks, much area.
  const land = { type: 'FeatureCollection', features: countries };
  const projection = geoEqualEarth().fitWidth(width, land);
  const path = geoPath(projection);
  const height = Math.ceil(path.bounds(land)[1][1]);

  const caption = h('p', { class: 'map-caption', 'aria-live': 'polite' }, hint);
  const show = (text) => () => { caption.textContent = text; };

  const drawn = new Set();
  const shapes = countries.map((f) => {
    const code = f.id || '';
    const entry = code ? entries.get(code) : undefined;
    const name = (entry && entry.name) || (code && nameOf(code)) || f.properties.name;
    const text = describe(name, entry);
    const status = entry ? entry.status : 'none';
    const attrs = {
      d: path(f),
      class: `country ${status}`,
      'data-country': code || null,
      'data-status': status,
    };
    if (status === 'published') {
      attrs.fill = shareColor(entry.share.value);
      attrs['data-share'] = entry.share.value;
      attrs['data-ci-low'] = entry.share.ciLow;
      attrs['data-ci-high'] = entry.share.ciHigh;
    } else {
      attrs.fill = status === 'insufficient' ? `url(#${HATCH_ID})` : NO_DATA_FILL;
    }
    Object.assign(attrs, entry ? entry.data : null);
    const shape = svg('path', attrs, svg('title', {}, text));
    if (!entry) return shape;
    drawn.add(code);
    return svg('a', {
      href: linkFor(code), 'aria-label': text,
      onmouseenter: show(text), onfocus: show(text),
    }, shape);
  });

  const figure = h('figure', { class: 'world-map' },
    svg('svg', {
      viewBox: `0 0 ${Math.ceil(width)} ${height}`, width: '100%',
      role: 'group', 'aria-label': label,
      'data-countries': countries.length,
    }, svg('defs', {}, hatchPattern()), svg('g', { class: 'countries' }, shapes)),
    caption);
  const missing = [...entries.keys()].filter((code) => /^[A-Z]{2}$/.test(code) && !drawn.has(code));
  return { figure, missing };
}
