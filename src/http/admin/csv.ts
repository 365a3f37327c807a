/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF (quotes doubled). A value a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or CR) is prefixed with a single quote first (OWASP "CSV injection"),
 * so opening an export in Excel or LibreOffice never evaluates what an IdP or an admin typed into a name.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export const csvRow = (values: (string | number | boolean | null | undefined)[]): string =>
  `${values.map(csvField).join(",")}\r\n`;
