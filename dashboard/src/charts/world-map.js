// The world map: one path per country, shaded by its IPv6-capable share
// (published groups), hatched where the group has insufficient data, grey
// where no probe measured. Countries with a group link to their page.
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';

import { h, svg } from '../dom.js';
import { pctCI } from '../format.js';
import { shareColor, NO_DATA_FILL, HATCH_ID } from './colors.js';

function hatchPattern() {
  return svg('pattern', {
    id: HATCH_ID, width: 6, height: 6, patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)',
  },
  svg('rect', { width: 6, height: 6, fill: '#f2f2f2' }),
  svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#8c8c8c', 'stroke-width': 2 }));
}

function describe(name, group, minProbes) {
  if (!group) return `${name}: no probes`;
  if (group.insufficient) {
    return `${name}: insufficient data (fewer than ${minProbes || 'k'} probes)`;
  }
  const s = group.shares.v6_capable;
  return `${name}: IPv6 capable ${pctCI(s)}, ${group.measured} measured probes`;
}

// topology: world.json; groups: Map alpha-2 -> normalized country group;
// linkFor(code) -> href. Returns {figure, missing}: missing lists the
// groups whose country is not drawn at this scale.
export function worldMap({ topology, groups, width, minProbes, linkFor }) {
  const countries = feature(topology, topology.objects.countries).features
    .filter((f) => f.id !== 'AQ');  // Antarctica: no networks, much area.
  const land = { type: 'FeatureCollection', features: countries };
  const projection = geoEqualEarth().fitWidth(width, land);
  const path = geoPath(projection);
  const height = Math.ceil(path.bounds(land)[1][1]);

  const caption = h('p', { class: 'map-caption', 'aria-live': 'polite' },
    'Select a country for its networks and time series.');
  const show = (text) => () => { caption.textContent = text; };

  const drawn = new Set();
  const shapes = countries.map((f) => {
    const code = f.id || '';
    const group = code ? groups.get(code) : undefined;
    const name = (group && group.name) || f.properties.name;
    const label = describe(name, group, minProbes);
    const status = !group ? 'none' : group.insufficient ? 'insufficient' : 'published';
    const attrs = {
      d: path(f),
      class: `country ${status}`,
      'data-country': code || null,
      'data-status': status,
    };
    if (status === 'published') {
      const s = group.shares.v6_capable;
      attrs.fill = shareColor(s.value);
      attrs['data-share'] = s.value;
      attrs['data-ci-low'] = s.ciLow;
      attrs['data-ci-high'] = s.ciHigh;
      attrs['data-probes'] = group.measured;
    } else {
      attrs.fill = status === 'insufficient' ? `url(#${HATCH_ID})` : NO_DATA_FILL;
    }
    const shape = svg('path', attrs, svg('title', {}, label));
    if (!group) return shape;
    drawn.add(code);
    return svg('a', {
      href: linkFor(code), 'aria-label': label,
      onmouseenter: show(label), onfocus: show(label),
    }, shape);
  });

  const figure = h('figure', { class: 'world-map' },
    svg('svg', {
      viewBox: `0 0 ${Math.ceil(width)} ${height}`, width: '100%',
      role: 'group', 'aria-label': 'World map of the IPv6-capable share of probes per country',
      'data-countries': countries.length,
    }, svg('defs', {}, hatchPattern()), svg('g', { class: 'countries' }, shapes)),
    caption);
  const missing = [...groups.keys()].filter((code) => /^[A-Z]{2}$/.test(code) && !drawn.has(code));
  return { figure, missing };
}
