/** A column of {@link renderTable}. */
export interface Column {
  header: string;
  /** Numbers read better right-aligned. @default "left" */
  align?: "left" | "right";
}

/**
 * Renders rows as a plain-text table: a header line, then one line per row, columns separated by two spaces,
 * trailing spaces trimmed. Cells are used as given (no wrapping); truncate long ones before.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? "";
        const width = widths[index] ?? cell.length;
        return column.align === "right" ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map(line)];
}

/** Cuts `text` to at most `max` characters, ending in `…` when cut; newlines become spaces. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}
