import request from "supertest";
import type { TestApp } from "./app";

/** Uploads `file` as a form (settings as fields before the file), answering the supertest response. */
export async function upload(
  t: TestApp,
  file: Buffer | string,
  name: string,
  fields: Record<string, string> = {},
  expected = 202,
): Promise<request.Response> {
  let req = request(t.app)
    .post("/admin/v1/imports")
    .set("Authorization", `Bearer ${await t.token("admin")}`);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach("file", Buffer.isBuffer(file) ? file : Buffer.from(file, "utf8"), name).expect(expected);
}

/** Runs the import batches to the end in this process (what the worker's loops do), then answers the import. */
export async function runImport(t: TestApp, id: string): Promise<Record<string, any>> {
  while (await t.services.importBatches.step()) {}
  return (await t.admin.get(`/imports/${id}`).expect(200)).body;
}

/** The report as rows of cells (a small CSV reader for the report's own quoting). */
export async function report(t: TestApp, id: string): Promise<string[][]> {
  const res = await t.admin
    .get(`/imports/${id}/report`)
    .expect(200)
    .expect("content-type", /text\/csv/);
  const text = res.text.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r") continue;
    else if (c === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += c;
  }
  return rows;
}
