import { PassThrough, type Readable } from "node:stream";
import busboy from "busboy";
import type { Request } from "express";
import { Problem } from "../shared/problem";

export interface Upload {
  /** Form fields sent before the file (with the query string, the import's settings). */
  fields: Record<string, string>;
  name: string | null;
  type: string | null;
  /** The file's bytes as they arrive; fails when the file is larger than the limit. */
  stream: Readable;
}

/**
 * The file of a `multipart/form-data` upload (busboy, streamed: never the whole file in memory), or a `text/csv` body.
 * Settings come from the query string and from form fields sent before the `file` field (a form field after the file
 * arrives too late to count, and is refused). A file over `maxBytes` fails the stream (413).
 */
export function receiveUpload(req: Request, maxBytes: number): Promise<Upload> {
  if (!req.is("multipart/form-data")) {
    if (Number(req.get("content-length") ?? 0) > maxBytes) throw tooLarge(maxBytes);
    return Promise.resolve({ fields: {}, name: null, type: req.get("content-type") ?? null, stream: req });
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: maxBytes, fields: 250, fieldSize: 64 * 1024 },
      });
    } catch {
      return reject(new Problem(400, "invalid_request", "The multipart body cannot be read", "file"));
    }
    let got = false;
    let out: PassThrough | null = null;
    bb.on("field", (name, value) => {
      // Too late to count: the file is being read already. The import fails rather than ignore the setting.
      if (got) out?.destroy(new Problem(400, "invalid_request", `Send '${name}' before the file`, name));
      // A repeated field (the console's group choices) is a comma-separated list, as groupIds is written in a query.
      else fields[name] = name in fields ? `${fields[name]},${value}` : value;
    });
    bb.on("file", (name, file, info) => {
      if (name !== "file" || got) {
        file.resume();
        return;
      }
      got = true;
      const stream = new PassThrough();
      out = stream;
      file.on("limit", () => stream.destroy(tooLarge(maxBytes)));
      file.on("error", (e) => stream.destroy(e));
      file.pipe(stream);
      // A body cut short never ends the file busboy hands over: the stream fails instead, and with it the import.
      req.once("close", () => {
        if (!req.complete) stream.destroy(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      });
      resolve({ fields, name: info.filename ?? null, type: info.mimeType ?? null, stream });
    });
    bb.on("error", (e) =>
      reject(
        e instanceof Problem ? e : new Problem(400, "invalid_request", "The multipart body cannot be read", "file"),
      ),
    );
    bb.on("close", () => {
      if (!got) reject(new Problem(400, "invalid_request", "No file: send it in the form field 'file'", "file"));
    });
    req.pipe(bb);
  });
}

const tooLarge = (max: number) =>
  new Problem(413, "payload_too_large", `The file is larger than IMPORT_MAX_BYTES (${max} bytes)`, "file");
