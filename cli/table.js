'use strict';
// Tables for people (`--format table`). Cells are server text shown on a terminal, so
// control characters (escape sequences included) are made visible instead of interpreted.

// C0 and C1 control characters and DEL: a title holding ESC [ ... could repaint the screen.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function cellText(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(CONTROL, (char) => (char === '\n' ? ' ' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * `rows` under `columns` (`[{ key, label, get? }]`), owox-ctl's layout: a header line, a
 * line of dashes, columns two spaces apart; `No results` for an empty list. Without
 * columns, the keys of the first row are used.
 */
function renderTable(rows, columns) {
  if (rows.length === 0) return 'No results';
  const shown = columns ?? Object.keys(rows[0] ?? {}).map((key) => ({ key, label: key }));
  const cells = rows.map((row) => shown.map((column) => cellText(column.get ? column.get(row) : row?.[column.key])));
  const widths = shown.map((column, i) => Math.max(column.label.length, ...cells.map((line) => line[i].length)));
  const line = (values) => values.map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i]))).join('  ');
  return [line(shown.map((column) => column.label)), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

/** An object as `key: value` lines, the keys aligned; nested values as compact JSON. */
function renderKeyValues(value) {
  if (value === null || typeof value !== 'object') return cellText(value);
  const entries = Object.entries(value);
  if (entries.length === 0) return 'No results';
  const width = Math.max(...entries.map(([key]) => cellText(key).length));
  return entries.map(([key, item]) => `${`${cellText(key)}:`.padEnd(width + 1)}  ${cellText(item)}`).join('\n');
}

module.exports = { renderTable, renderKeyValues };
