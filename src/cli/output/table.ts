/**
 * Plain-text tables for the terminal: one header row, columns padded to their widest cell, numbers aligned
 * right. No borders, so the output stays greppable and diffs cleanly.
 */

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  /** Defaults to `left`. */
  align?: Align;
}

/** Two spaces between columns, the way `ip -s link` and `ipvsadm -L` separate theirs. */
const GAP = '  ';

export function formatTable(columns: readonly Column[], rows: ReadonlyArray<ReadonlyArray<string | number>>, indent = ''): string {
  const cells = rows.map((row) => {
    if (row.length !== columns.length) throw new RangeError(`table row has ${row.length} cells for ${columns.length} columns`);
    return row.map((c) => String(c));
  });
  const widths = columns.map((col, i) => Math.max(col.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: readonly string[]): string =>
    indent +
    values
      .map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}
