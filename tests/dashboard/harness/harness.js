// See harness.html. Observations (check_interactive.py reads them):
//   tables:  per sortable table, per column: after 1st and 2nd click the
//            header's aria-sort and the column's values in row order
//   toggles: per chart legend button: aria-pressed and whether its series
//            is hidden after a click, and after a second click
//   axis:    the smallest rendered axis-text size, in CSS pixels
//   picker:  whether the window picker is displayed
(function () {
  const frame = document.createElement('iframe');
  frame.src = `index.html${location.hash}`;
  // ?width=390: the frame's width in CSS pixels (headless Chromium keeps
  // its window at least 500 px wide; the frame need not be).
  const width = new URLSearchParams(location.search).get('width');
  if (width) frame.style.width = `${Number(width)}px`;
  document.body.append(frame);
  const out = document.getElementById('result');

  function cellAt(row, col) {
    let at = 0;
    for (const cell of row.cells) {
      at += cell.colSpan || 1;
      if (col < at) return cell.colSpan > 1 ? null : cell;
    }
    return null;
  }
  // A numeric column's cell without data-sort has no value (sortable.js
  // keeps it last): null, as a cell under a colspan.
  function columnValues(table, col, numeric) {
    return [...table.tBodies[0].rows].map((row) => {
      const cell = cellAt(row, col);
      if (!cell) return null;
      if (cell.dataset.sort !== undefined) return cell.dataset.sort;
      return numeric ? null : cell.textContent.trim();
    });
  }
  function tables(doc) {
    return [...doc.querySelectorAll('table.sortable')].map((table) => {
      const headers = [...table.tHead.rows[0].cells];
      return {
        name: table.className + (table.dataset.glossary ? `:${table.dataset.glossary}` : ''),
        rows: table.tBodies[0].rows.length,
        columns: headers.map((th, col) => {
          const button = th.querySelector('button.sort');
          const seen = { header: th.textContent.trim(), type: th.dataset.sortType || 'text', button: Boolean(button) };
          if (!button) return seen;
          seen.before = th.getAttribute('aria-sort');
          button.click();
          seen.first = { ariaSort: th.getAttribute('aria-sort'), values: columnValues(table, col, seen.type === 'number') };
          button.click();
          seen.second = { ariaSort: th.getAttribute('aria-sort'), values: columnValues(table, col, seen.type === 'number') };
          seen.othersCleared = headers.every((o) => o === th || !o.hasAttribute('aria-sort'));
          return seen;
        }),
      };
    });
  }
  function toggles(doc) {
    return [...doc.querySelectorAll('button.series-toggle')].map((b) => {
      const layer = () => b.closest('figure').querySelector(`svg g.series[data-series="${b.dataset.toggle}"]`);
      const seen = { series: b.dataset.toggle, before: b.getAttribute('aria-pressed') };
      b.click();
      seen.first = { pressed: b.getAttribute('aria-pressed'), hidden: frame.contentWindow.getComputedStyle(layer()).display === 'none' };
      b.click();
      seen.second = { pressed: b.getAttribute('aria-pressed'), hidden: frame.contentWindow.getComputedStyle(layer()).display === 'none' };
      return seen;
    });
  }
  function axis(doc) {
    const sizes = [...doc.querySelectorAll('svg.time-series')].flatMap((chart) => {
      const scale = chart.getBoundingClientRect().width / chart.viewBox.baseVal.width;
      return [...chart.querySelectorAll('.axis text')].map(
        (t) => parseFloat(frame.contentWindow.getComputedStyle(t).fontSize) * scale);
    });
    return sizes.length ? Math.min(...sizes) : null;
  }
  function observe() {
    const doc = frame.contentDocument;
    if (!doc || !doc.body || doc.body.dataset.ready !== 'true') {
      setTimeout(observe, 100);
      return;
    }
    const picker = doc.getElementById('window-picker');
    const result = {
      route: location.hash,
      viewport: frame.contentWindow.innerWidth,
      picker: Boolean(picker) && frame.contentWindow.getComputedStyle(picker).display !== 'none',
      axisMinPx: axis(doc),
      toggles: toggles(doc),
      tables: tables(doc),
    };
    out.textContent = JSON.stringify(result);
    out.dataset.done = 'true';
  }
  frame.addEventListener('load', observe);
}());
