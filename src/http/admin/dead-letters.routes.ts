import { Router } from "express";
import { z } from "zod";
import type { DeadLetter, DeadLetterKey } from "../../domain/outbox/dead-letters.repository";
import type { DeadLettersService, RetriedJob } from "../../domain/outbox/dead-letters.service";
import { adminCtx } from "./admin-auth";
import { NOT_A_CURSOR, cursorText, encodeCursor } from "../../domain/cursor";
import { Problem } from "../shared/problem";

const listQuery = z.strictObject({
  topic: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{0,63}$/, "a topic such as invitation.requested")
    .optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** dead_at as PostgreSQL prints a timestamptz, and a job id: what a cursor carries. */
const KEY_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

const cursorOf = (k: DeadLetterKey) => encodeCursor(`${k.deadAt}|${k.id}`);

function decodeCursor(cursor: string): DeadLetterKey {
  const [deadAt, id, ...rest] = (cursorText(cursor) ?? "").split("|");
  if (rest.length || !KEY_TIME.test(deadAt ?? "") || !/^\d{1,18}$/.test(id ?? "")) {
    throw new Problem(400, "invalid_value", `cursor: ${NOT_A_CURSOR}`, "cursor");
  }
  return { deadAt, id };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const present = (d: DeadLetter) => ({
  id: d.id,
  topic: d.topic,
  payload: d.payload,
  attempts: d.attempts,
  lastError: d.lastError,
  createdAt: iso(d.createdAt),
  deadAt: iso(d.deadAt),
});

const presentRetried = (j: RetriedJob) => ({
  id: j.id,
  topic: j.topic,
  payload: j.payload,
  attempts: j.attempts,
  lastError: j.lastError,
  createdAt: iso(j.createdAt),
  deadAt: null,
  revived: j.revived,
});

/** `GET /admin/v1/dead-letters` (admins and auditors) and `POST /admin/v1/dead-letters/{id}/retry` (admins). */
export function deadLettersRouter(deadLetters: DeadLettersService): Router {
  const r = Router();

  r.get("/", async (req, res) => {
    const q = listQuery.parse(req.query);
    const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
    const page = await deadLetters.list(adminCtx(req, res), q.topic ?? null, after, q.limit);
    res.json({ items: page.items.map(present), nextCursor: page.next ? cursorOf(page.next) : null });
  });

  r.post("/:id/retry", async (req, res) => {
    const job = await deadLetters.retry(adminCtx(req, res), String(req.params.id));
    res.status(202).json(presentRetried(job));
  });

  return r;
}
