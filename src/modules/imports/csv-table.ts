import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import type { TableRow } from "../../domain/imports/import";

/** Bytes looked at to tell the charset and the separator (the rest streams through untouched). */
const SNIFF_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export type Charset = "utf-8" | "windows-1252";

/**
 * The lines of a CSV file as people make it (decision 0126), streamed: UTF-8 with or without BOM, or Windows-1252 from
 * old Excel (told by the caller, else detected: text that is not valid UTF-8 is read as Windows-1252); `,` `;` or tab
 * separators, detected on the first line; quoted fields with newlines, CRLF, blank lines and rows of empty cells
 * skipped, trailing empty columns trimmed.
 */
export async function* csvTable(input: AsyncIterable<Buffer>, charset?: Charset): AsyncIterable<TableRow> {
  const source = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const start = Buffer.concat(head);
  const cs = charset ?? detectCharset(start, ended);
  const delimiter = detectSeparator(iconv.decode(start, cs));
  const bytes = Readable.from(
    (async function* () {
      yield start;
      if (!ended) for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    })(),
  );
  // pipeline, not pipe: a source that fails (an upload cut short) fails the parser too, so the loop below ends with
  // the error instead of waiting forever for lines that will not come (the import stayed `receiving` for good).
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    info: true,
  });
  const records = pipeline(bytes, iconv.decodeStream(cs), parser, () => undefined);
  // csv-parse's `info.lines` is the line a record ends on, but counts a CRLF inside quotes as two lines: corrected here.
  let crlfInQuotes = 0;
  for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    let end = record.length;
    while (end > 0 && record[end - 1].trim() === "") end--;
    const crlf = count(record, /\r\n/g);
    crlfInQuotes += crlf;
    yield { cells: record.slice(0, end), line: info.lines - crlfInQuotes - count(record, /\r\n|\r|\n/g) };
  }
}

const count = (cells: string[], re: RegExp) => cells.reduce((n, c) => n + (c.match(re)?.length ?? 0), 0);

/** UTF-8 (a BOM says so, or the bytes are valid UTF-8), else Windows-1252. */
export function detectCharset(start: Buffer, whole: boolean): Charset {
  if (start.subarray(0, 3).equals(UTF8_BOM)) return "utf-8";
  // A chunk may end inside a multi-byte character: only the last 3 bytes of a cut sample are forgiven.
  const sample = whole ? start : start.subarray(0, Math.max(0, start.length - 3));
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample);
    return "utf-8";
  } catch {
    return "windows-1252";
  }
}

/** The separator the first non-blank line uses most outside quotes: `,`, `;` or tab (`,` when none). */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  let seen = false;
  for (const c of text.replace(/^\uFEFF/, "")) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) {
      if (seen) break;
    } else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
    if (c.trim() !== "") seen = true;
  }
  let best = ",";
  for (const [sep, n] of counts) if (n > counts.get(best)!) best = sep;
  return best;
}
