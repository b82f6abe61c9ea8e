// Sortable tables: each column header becomes a button; a click sorts the
// rows by that column, ascending first, then descending, and sets
// aria-sort on the header. A header with data-sort-type="number" sorts by
// its cells' data-sort values as numbers (shares by their value, not
// their text); other columns by text, digit runs as numbers. Cells without
// a value (insufficient data) stay last in both directions.
import { h } from '../dom.js';

// The cell under column `col`, counting colspans.
function cellAt(row, col) {
  let at = 0;
  for (const cell of row.cells) {
    at += cell.colSpan || 1;
    if (col < at) return cell;
  }
  return null;
}

function sortValue(row, col, numeric) {
  const cell = cellAt(row, col);
  if (!cell) return null;
  if (numeric) {
    // A cell spanning other columns (colspan) has no value of this one.
    if (cell.dataset.sort === undefined) return null;
    const n = Number(cell.dataset.sort);
    return Number.isFinite(n) ? n : null;
  }
  return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
}

function compare(a, b, numeric) {
  if (numeric) return a - b;
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

function sortBy(table, header, col) {
  const numeric = header.dataset.sortType === 'number';
  const direction = header.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
  for (const th of table.tHead.rows[0].cells) th.removeAttribute('aria-sort');
  header.setAttribute('aria-sort', direction);
  const sign = direction === 'ascending' ? 1 : -1;
  const body = table.tBodies[0];
  const rows = [...body.rows].map((row) => ({ row, v: sortValue(row, col, numeric) }));
  rows.sort((a, b) => {
    if (a.v === null || b.v === null) return (a.v === null) - (b.v === null);
    return sign * compare(a.v, b.v, numeric);
  });
  body.append(...rows.map((r) => r.row));
}

// Makes `table` sortable (returns it). Headers keep their text inside the
// button, so a screen reader reads the column name and its sort state.
export function sortable(table) {
  const headers = table.tHead ? [...table.tHead.rows[0].cells] : [];
  let col = 0;
  for (const th of headers) {
    const at = col;
    col += th.colSpan || 1;
    if (th.dataset.sortType === 'none') continue;
    const button = h('button', { type: 'button', class: 'sort', onclick: () => sortBy(table, th, at) },
      ...th.childNodes, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    th.replaceChildren(button);
  }
  table.classList.add('sortable');
  return table;
}
