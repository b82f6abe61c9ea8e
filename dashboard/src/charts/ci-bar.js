// A share as a small horizontal interval: the 95% Wilson interval as a
// bar on a 0–100% track with a tick at the point estimate. Decorative:
// the text next to it says the same ("72% (65–78%)").
import { svg } from '../dom.js';

const WIDTH = 120;
const HEIGHT = 14;

export function ciBar(share) {
  const x = (v) => (Math.max(0, Math.min(1, v)) * WIDTH).toFixed(1);
  return svg('svg', {
    class: 'ci-bar', width: WIDTH, height: HEIGHT,
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, 'aria-hidden': 'true', focusable: 'false',
  },
  svg('rect', { class: 'ci-track', x: 0, y: 6, width: WIDTH, height: 2 }),
  svg('rect', {
    class: 'ci-interval', x: x(share.ciLow), y: 3,
    width: Math.max(1, x(share.ciHigh) - x(share.ciLow)), height: 8, rx: 2,
  }),
  svg('rect', { class: 'ci-point', x: x(share.value) - 1, y: 1, width: 2, height: 12 }));
}
