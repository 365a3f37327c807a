import type { Readable } from "node:stream";
import type { TableRow } from "../../domain/imports/import";
import { type Charset, csvTable } from "./csv-table";
import { xlsxTable } from "./xlsx-table";

export type { Charset };

/** xlsx by its name or type, else CSV. */
export function formatOf(name: string | null, type: string | null): "csv" | "xlsx" {
  if (name && /\.xlsx$/i.test(name)) return "xlsx";
  if (type?.includes("spreadsheetml")) return "xlsx";
  return "csv";
}

/** The lines of an uploaded file, streamed, whatever its format. */
export function fileTable(input: Readable, format: "csv" | "xlsx", charset?: Charset): AsyncIterable<TableRow> {
  return format === "xlsx" ? xlsxTable(input) : csvTable(input, charset);
}

/** A `charset` parameter or field as a charset read here (latin1 and cp1252 read as Windows-1252). */
export function charsetOf(value: string | null | undefined): Charset | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (v === "utf8") return "utf-8";
  if (["windows1252", "cp1252", "latin1", "iso88591", "ansi"].includes(v)) return "windows-1252";
  return undefined;
}
