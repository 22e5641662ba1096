'use strict';
// Tables for people (`--format table`). Cells are server text shown on a terminal, so
// control characters (escape sequences included) are made visible instead of interpreted.

// C0 and C1 control characters and DEL: a title holding ESC [ ... could repaint the screen.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

// Terminal columns a character takes: East Asian wide and fullwidth characters and most
// emoji take two, combining marks and zero-width characters none. Close enough to align
// titles in Japanese, Cyrillic or with an emoji; no table of Unicode's here.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO_WIDTH = /[\u0300-\u036f\u200b-\u200f\ufe00-\ufe0f]/u;

function displayWidth(text) {
  let width = 0;
  for (const char of text) width += ZERO_WIDTH.test(char) ? 0 : WIDE.test(char) ? 2 : 1;
  return width;
}

const padEnd = (text, width) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

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
  const widths = shown.map((column, i) => Math.max(displayWidth(column.label), ...cells.map((line) => displayWidth(line[i]))));
  const line = (values) => values.map((value, i) => (i === values.length - 1 ? value : padEnd(value, widths[i]))).join('  ');
  return [line(shown.map((column) => column.label)), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

/** An object as `key: value` lines, the keys aligned; nested values as compact JSON. */
function renderKeyValues(value) {
  if (value === null || typeof value !== 'object') return cellText(value);
  const entries = Object.entries(value);
  if (entries.length === 0) return 'No results';
  const width = Math.max(...entries.map(([key]) => displayWidth(cellText(key))));
  return entries.map(([key, item]) => `${padEnd(`${cellText(key)}:`, width + 1)}  ${cellText(item)}`).join('\n');
}

module.exports = { renderTable, renderKeyValues };
