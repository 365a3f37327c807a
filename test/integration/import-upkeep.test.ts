import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { type TestApp, startTestApp } from "../support/app";
import { report, runImport, upload } from "../support/imports";

let t: TestApp;
let server: Server;
beforeAll(async () => {
  t = await startTestApp({ IMPORT_BATCH_SIZE: "500" });
  server = t.app.listen(0, "127.0.0.1");
  await once(server, "listening");
});
afterAll(async () => {
  server.close();
  await t.close();
});

let seq = 0;
const domain = () => `u${Date.now().toString(36)}${++seq}.test`;
const importRow = async (where: string, params: unknown[]) =>
  (
    await t.ds.query(`SELECT id, status, error FROM imports WHERE ${where} ORDER BY created_at DESC LIMIT 1`, params)
  )[0];

/** Sends the head of a request and part of its body over a raw socket, then cuts the connection. */
async function cutUpload(head: string, part: string): Promise<void> {
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  socket.write(head + part);
  await new Promise((r) => setTimeout(r, 300));
  socket.destroy();
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

describe("an upload cut short", () => {
  it("ends the import failed with its reason (text/csv body)", async () => {
    const d = domain();
    // Past the 64 KB read to tell the charset and separator: the cut comes while the parser streams.
    const rows = Array.from({ length: 10_000 }, (_, i) => `p${i}@${d},P,N${i}`).join("\n");
    const body = `Email,First name,Last name\n${rows}\n`;
    const token = await t.token("admin");
    const head =
      `POST /admin/v1/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: text/csv\r\nContent-Length: ${body.length}\r\n\r\n`;
    const before = new Date();
    await cutUpload(head, body.slice(0, Math.floor(body.length * 0.8)));
    const imp = await until(
      () => importRow("created_at >= $1", [before]),
      (r) => r?.status === "failed",
    );
    expect(imp.error).toMatch(/the upload was interrupted/);
  });

  it("ends the import failed with its reason (multipart form)", async () => {
    const d = domain();
    const rows = Array.from({ length: 3000 }, (_, i) => `q${i}@${d},Q,N${i}`).join("\n");
    const boundary = "----cut";
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\n` +
      `Content-Type: text/csv\r\n\r\nEmail,First name,Last name\n${rows}\n\r\n--${boundary}--\r\n`;
    const token = await t.token("admin");
    const head =
      `POST /admin/v1/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const before = new Date();
    await cutUpload(head, body.slice(0, Math.floor(body.length / 2)));
    const imp = await until(
      () => importRow("created_at >= $1", [before]),
      (r) => r?.status === "failed",
    );
    expect(imp.error).toMatch(/the upload was interrupted/);
  });

  it("left receiving by a process that died is failed by the worker's upkeep", async () => {
    const res = await upload(t, `Email\nlate@${domain()}\n`, "late.csv");
    // What a process killed mid-upload leaves: `receiving`, its last chunk long ago.
    await t.ds.query(`UPDATE imports SET status = 'receiving', received_at = now() - interval '1 hour' WHERE id = $1`, [
      res.body.id,
    ]);
    const fresh = await upload(t, `Email\nfresh@${domain()}\n`, "fresh.csv");
    await t.ds.query(`UPDATE imports SET status = 'receiving', received_at = now() WHERE id = $1`, [fresh.body.id]);
    await t.services.imports.upkeep(30);
    expect(await importRow("id = $1", [res.body.id])).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/the upload was interrupted/),
    });
    expect((await importRow("id = $1", [fresh.body.id])).status).toBe("receiving");
    await t.ds.query(`UPDATE imports SET status = 'failed', finished_at = now() WHERE id = $1`, [fresh.body.id]);
  });
});

describe("IMPORTS_RETENTION_DAYS", () => {
  it("deletes imports finished before the window with their rows, keeps the others", async () => {
    const d = domain();
    const body = `Email\n${Array.from({ length: 25_000 }, (_, i) => `old${i}@${d}`).join("\n")}\n`;
    const old = (await upload(t, body, "old.csv", { dryRun: "true" })).body.id;
    await t.ds.query(
      `UPDATE imports SET status = 'succeeded', finished_at = now() - interval '31 days' WHERE id = $1`,
      [old],
    );
    // Results of the first 5,000 rows (as batches would have left them); 20 of its 25 ranges left undone.
    await t.ds.query(
      `INSERT INTO import_results (import_id, n, result) SELECT $1, n, 'created' FROM generate_series(1, 5000) n`,
      [old],
    );
    await t.ds.query(`DELETE FROM import_ranges WHERE import_id = $1 AND last_n <= 5000`, [old]);
    // ... and the counts of 10 of those batches not folded (an import that failed mid-way keeps its tallies, 0157).
    await t.ds.query(
      `INSERT INTO import_tallies (import_id, upto, done, created, updated, unchanged, skipped, failed)
       SELECT $1, b * 500, 500, 500, 0, 0, 0, 0 FROM generate_series(1, 10) b`,
      [old],
    );
    const recent = (await upload(t, `Email\nrecent@${d}\n`, "recent.csv", { dryRun: "true" })).body.id;
    await runImport(t, recent);
    const open = (await upload(t, `Email\nopen@${d}\n`, "open.csv")).body.id;
    // Steps of 10,000 rows: 5,000 results, 25,000 rows and 20 ranges go in four steps, the import with the last.
    expect(await t.services.imports.upkeep(30)).toBe(true);
    expect(await t.services.imports.upkeep(30)).toBe(true);
    expect(await t.services.imports.upkeep(30)).toBe(true);
    expect(await t.services.imports.upkeep(30)).toBe(false);
    const left = await t.ds.query(`SELECT id FROM imports WHERE id = ANY($1::uuid[])`, [[old, recent, open]]);
    expect(left.map((r: { id: string }) => r.id).sort()).toEqual([recent, open].sort());
    for (const table of ["import_rows", "import_results", "import_ranges", "import_tallies"]) {
      const left = await t.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE import_id = $1`, [old]);
      expect({ table, n: left[0].n }).toEqual({ table, n: 0 });
    }
    await t.admin.get(`/imports/${old}`).expect(404);
    await runImport(t, open);
  });
});

describe("IMPORTS_RETENTION_DAYS and staged files", () => {
  it("deletes a staged file nobody started within the window, keeps a recent one", async () => {
    const d = domain();
    const stale = (await upload(t, `Email\nstale@${d}\n`, "stale.csv", { stage: "true" })).body.id;
    const fresh = (await upload(t, `Email\nfresh@${d}\n`, "fresh.csv", { stage: "true" })).body.id;
    const statuses = await t.ds.query(`SELECT status FROM imports WHERE id = ANY($1::uuid[])`, [[stale, fresh]]);
    expect(statuses.map((r: { status: string }) => r.status)).toEqual(["staged", "staged"]);
    await t.ds.query(`UPDATE imports SET created_at = now() - interval '31 days' WHERE id = $1`, [stale]);
    while (await t.services.imports.upkeep(30)) {}
    const left = await t.ds.query(`SELECT id FROM imports WHERE id = ANY($1::uuid[])`, [[stale, fresh]]);
    expect(left.map((r: { id: string }) => r.id)).toEqual([fresh]);
    expect(Number((await t.ds.query(`SELECT count(*) FROM import_rows WHERE import_id = $1`, [stale]))[0].count)).toBe(
      0,
    );
  });
});

describe("duplicates across the chunks a file is stored in", () => {
  it("marks a row repeating a row of an earlier chunk, by email and by userName", async () => {
    const d = domain();
    const lines = Array.from({ length: 2500 }, (_, i) => `d${i}@${d},user${i}.${d}`);
    lines.push(`d3@${d},other.${d}`); // email of line 5 (chunk 1)
    lines.push(`new@${d},user1700.${d}`); // userName of line 1702 (chunk 2)
    const res = await upload(t, `Email,Username\n${lines.join("\n")}\n`, "dups.csv", { dryRun: "true" });
    expect(res.body.counts).toMatchObject({ total: 2502, skipped: 2 });
    // Marked as the file is stored, before any batch runs; the other rows are still to do.
    const rows = await report(t, res.body.id);
    expect(rows[2501].slice(2)).toEqual(["duplicate", "the same email as line 5"]);
    expect(rows[2502].slice(2)).toEqual(["duplicate", "the same userName as line 1702"]);
    expect(rows.slice(1, 2501).every((r) => r[2] === "not done")).toBe(true);
    await t.admin.post(`/imports/${res.body.id}/cancel`).expect(200);
    await runImport(t, res.body.id);
  });
});
