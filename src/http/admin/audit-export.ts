import type { Request, Response } from "express";
import { logger } from "../../log";
import type { AuditRecord } from "../../domain/audit-log/audit-log";
import { csvRow } from "./csv";

const CSV_COLUMNS = [
  "seq",
  "id",
  "at",
  "actor_type",
  "actor_id",
  "actor_name",
  "door",
  "action",
  "target_type",
  "target_id",
  "changes",
  "request_id",
  "prev_hash",
  "hash",
];

const csvLine = (r: AuditRecord) =>
  csvRow([
    r.seq,
    r.id,
    r.at.toISOString(),
    r.actor.type,
    r.actor.id,
    r.actor.name,
    r.door,
    r.action,
    r.target.type,
    r.target.id,
    JSON.stringify(r.changes),
    r.requestId,
    r.prevHash,
    r.hash,
  ]);

export const auditJson = (r: AuditRecord) => ({ ...r, at: r.at.toISOString() });

export const EXPORT_FORMATS = {
  csv: { type: "text/csv; charset=utf-8", header: csvRow(CSV_COLUMNS), line: csvLine },
  ndjson: {
    type: "application/x-ndjson; charset=utf-8",
    header: "",
    line: (r: AuditRecord) => `${JSON.stringify(auditJson(r))}\n`,
  },
} as const;

/**
 * The whole answer of an export, for every door that offers one (admin API, console): the first batch is read before
 * any header goes out, so a database outage is the door's own error answer, not a broken file; then the file, named
 * by the time of the export, streamed; an error mid-stream destroys the response (see streamExport).
 */
export async function sendExport(
  req: Request,
  res: Response,
  format: keyof typeof EXPORT_FORMATS,
  batches: AsyncGenerator<AuditRecord[]>,
): Promise<void> {
  const first = await batches.next();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  res
    .status(200)
    .type(EXPORT_FORMATS[format].type)
    .set("Content-Disposition", `attachment; filename="audit-${stamp}.${format}"`)
    .set("Cache-Control", "no-store");
  try {
    await streamExport(
      res,
      format,
      (async function* () {
        if (!first.done) yield first.value;
        yield* batches;
      })(),
    );
  } catch (err) {
    (req.log ?? logger).error({ err, door: req.baseUrl }, "audit export failed mid-stream");
    res.destroy();
  }
}

/**
 * Streams `batches` to the response in `format`, waiting for 'drain' whenever the socket's buffer is full, so memory
 * holds about one batch whatever the export's size. Stops early when the client goes away. Once the first byte is
 * sent an error can no longer become a problem+json: the caller destroys the response so the client sees a truncated
 * transfer rather than a short file that looks complete.
 */
export async function streamExport(
  res: Response,
  format: keyof typeof EXPORT_FORMATS,
  batches: AsyncIterable<AuditRecord[]>,
): Promise<void> {
  const f = EXPORT_FORMATS[format];
  if (f.header) await write(res, f.header);
  for await (const batch of batches) {
    if (res.destroyed) return;
    await write(res, batch.map(f.line).join(""));
  }
  res.end();
}

/** Writes a chunk, waiting for the socket to drain when its buffer is full (or for it to close). */
export async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk) || res.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}
