import type { Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { TableRow } from "../../domain/imports/import";

/**
 * The lines of the first sheet of an .xlsx file, streamed with exceljs's WorkbookReader (decision 0126): rows as they
 * are unzipped, never the whole workbook in memory. Cells become text (formulas their result, rich text its plain
 * text, dates ISO 8601); empty rows are skipped and trailing empty cells trimmed, as for CSV.
 */
export async function* xlsxTable(input: Readable): AsyncIterable<TableRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    entries: "ignore",
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1).map(cellText);
      let end = values.length;
      while (end > 0 && values[end - 1].trim() === "") end--;
      if (end > 0) yield { cells: Array.from({ length: end }, (_, i) => values[i] ?? ""), line: row.number };
    }
    // Only the first sheet is read; the rest of the file is drained so the reader ends cleanly.
    input.resume();
    return;
  }
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[]; error?: string };
    if (o.richText) return o.richText.map((t) => t.text).join("");
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (o.error !== undefined) return "";
  }
  return String(v);
}
