import { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import type { DevMailboxReader } from "../../modules/mail/dev-mailbox.reader";
import { MAILBOX_ID } from "../../modules/mail/mailbox-files";
import { principal } from "./admin-auth";
import { Problem } from "../shared/problem";

const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(MAILBOX_ID, "a message id from a previous page's nextCursor").optional(),
});

/**
 * Only when there is a dev mailbox (no SMTP_URL), and only for admins of the whole organisation: the messages hold
 * working invitation links, which auditors and admins limited to some entities must not read.
 */
const guard = (reader: DevMailboxReader | null) => (_req: Request, res: Response, next: NextFunction) => {
  if (!reader)
    throw new Problem(404, "dev_mailbox_off", "There is no dev mailbox: mail goes to the SMTP server (SMTP_URL)");
  const p = principal(res);
  if (p.role !== "admin")
    throw new Problem(403, "admin_only", "The dev mailbox holds invitation links: only admins read it");
  if (p.entityScope !== null)
    throw new Problem(
      403,
      "out_of_scope",
      "The dev mailbox holds everyone's invitation links: only an admin of the whole organisation reads it",
    );
  next();
};

/** /admin/v1/dev/mailbox: the messages the embedded default wrote to DATA_DIR/mail instead of sending them. */
export function devMailboxRouter(reader: DevMailboxReader | null): Router {
  const r = Router();
  r.use("/mailbox", guard(reader));

  r.get("/mailbox", async (req, res) => {
    const q = ListQuery.parse(req.query);
    const page = await reader!.list(q.limit, q.cursor ?? null);
    res.set("Cache-Control", "no-store").json({ ...page, limit: q.limit });
  });

  r.get("/mailbox/:id", async (req, res) => {
    const id = String(req.params.id);
    const message = await reader!.read(id);
    if (!message)
      throw new Problem(404, "not_found", `No message ${MAILBOX_ID.test(id) ? id : "with this id"} in the dev mailbox`);
    res
      .set({ "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" })
      .type(message.kind === "email" ? "message/rfc822" : "application/json")
      .send(message.content);
  });

  return r;
}
