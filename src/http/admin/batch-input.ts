import type { Request } from "express";
import { z } from "zod";
import type { BatchLine, BatchSettings } from "../../domain/people/people-batch";
import { BatchBody, BatchItem, BatchQuery } from "./people.schemas";
import { Problem } from "../shared/problem";

type Settings = Omit<BatchSettings, "invite"> & { invite?: "now" | "later" };

/**
 * A batch request in any of its three forms: a JSON object `{emails: [...], ...settings}`, a bare JSON array of emails,
 * or text/plain with one email per line (optionally `email,given name,family name`; blank lines and `#` comments
 * skipped, line numbers kept). With the last two, the shared settings come from the query string.
 */
export function parseBatch(
  req: Request,
  maxLines: number,
): { lines: (BatchLine & { line: number })[]; settings: BatchSettings } {
  let items: z.infer<typeof BatchItem>[] | null = null;
  let settings: Settings;
  let lines: (BatchLine & { line: number })[];
  if (typeof req.body === "string") {
    settings = BatchQuery.parse(req.query);
    lines = textLines(req.body);
  } else if (Array.isArray(req.body)) {
    settings = BatchQuery.parse(req.query);
    items = req.body;
  } else {
    const { emails, ...rest } = BatchBody.parse(req.body);
    settings = rest;
    items = emails;
  }
  if (items) {
    if (items.length > maxLines) throw tooLarge(items.length, maxLines);
    lines = z
      .array(BatchItem)
      .parse(items)
      .map((item, i) => ({ ...(typeof item === "string" ? { email: item } : item), line: i + 1 }));
  }
  if (lines!.length === 0)
    throw new Problem(
      400,
      "empty_batch",
      "The batch has no lines: send emails, one per line or as a JSON list",
      "emails",
    );
  if (lines!.length > maxLines) throw tooLarge(lines!.length, maxLines);
  return { lines: lines!, settings: { ...settings, invite: settings.invite === "now" } };
}

/** Lines of pasted text: an email, optionally `,given name,family name`; blanks and `#` comments skipped (the console's paste too). */
export function textLines(text: string): (BatchLine & { line: number })[] {
  return text.split(/\r?\n/).flatMap((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return [];
    const [email, givenName, familyName] = trimmed.split(/[,;\t]/).map((s) => s.trim());
    return [{ email, line: i + 1, ...(givenName ? { givenName } : {}), ...(familyName ? { familyName } : {}) }];
  });
}

const tooLarge = (n: number, max: number) =>
  new Problem(
    413,
    "batch_too_large",
    `The batch has ${n} lines; at most ${max} are accepted at once (ADMIN_BATCH_MAX_LINES): split it`,
  );
