import ExcelJS from "exceljs";
import { IMPORT_FIELDS } from "../../domain/imports/import";
import { TEMPLATE_LABELS } from "../../domain/imports/import-mapping.rules";

const EXAMPLE: string[] = [
  "ada.lovelace@example.com",
  "Ada",
  "Lovelace",
  "",
  "en",
  "+44 20 7946 0000",
  "Analyst",
  "Research",
  "E-1815",
  "",
  "internal",
  "",
];

const labels = () => IMPORT_FIELDS.map((f) => TEMPLATE_LABELS[f]);

/** The template: every field's column, and one example row (UTF-8 with BOM, so Excel reads the accents). */
export function templateCsv(): string {
  const line = (cells: string[]) =>
    `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")}\r\n`;
  return `\uFEFF${line(labels())}${line(EXAMPLE)}`;
}

/** The same template as an .xlsx workbook. */
export async function templateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("People");
  sheet.addRow(labels()).font = { bold: true };
  sheet.addRow(EXAMPLE);
  sheet.columns.forEach((c) => {
    c.width = 22;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
