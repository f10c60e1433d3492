/** Output helpers shared by commands: OSU-like tables, CSV, JSON. */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number;
  /** Digits after the point for numbers (OSU prints 2). */
  digits?: number;
}

function cell<T>(c: Column<T>, row: T): string {
  const v = c.value(row);
  return typeof v === 'number'
    ? Number.isInteger(v) && c.digits === undefined
      ? String(v)
      : v.toFixed(c.digits ?? 2)
    : v;
}

/** A table as OSU prints one: a `# ` header line and right-aligned columns after the first. */
export function formatTable<T>(columns: Column<T>[], rows: readonly T[], title?: string): string {
  const cells = rows.map((r) => columns.map((c) => cell(c, r)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)) + 2);
  const line = (parts: string[]) =>
    parts
      .map((p, i) => (i === 0 ? p.padEnd(widths[i]) : p.padStart(widths[i])))
      .join('')
      .trimEnd();
  const header = `# ${line(columns.map((c) => c.header))}`;
  const body = cells.map((r) => `  ${line(r)}`);
  return [title ? `# ${title}` : undefined, header, ...body].filter((x) => x !== undefined).join('\n') + '\n';
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV with a header row of field names (not the human headers), full precision. */
export function formatCsv<T>(
  fields: { name: string; value: (row: T) => string | number }[],
  rows: readonly T[],
): string {
  return (
    [
      fields.map((f) => f.name).join(','),
      ...rows.map((r) => fields.map((f) => csvField(f.value(r))).join(',')),
    ].join('\n') + '\n'
  );
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
