import { entity, personBody, scopedAdmin } from "../support/admin-fixtures";
import { type AdminClient, startMailingApp, type TestApp } from "../support/app";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

let t: TestApp;
let sink: SmtpSink;
let auditor: AdminClient;
beforeAll(async () => {
  // Two attempts, 100 ms apart: a 451 makes a dead letter within a second.
  ({ t, sink } = await startMailingApp({ WORKER_MAX_ATTEMPTS: "2", WORKER_BACKOFF_MS: "100" }));
  auditor = t.adminAs(await t.token("auditor"));
});
afterAll(async () => t.close());

const invitationOf = async (userId: string) => (await t.admin.get(`/users/${userId}/invitation`).expect(200)).body;
const deadJobOf = async (userId: string) => {
  const r = await t.ds.query(
    "SELECT id::text, dead_at FROM outbox WHERE topic = 'invitation.requested' AND payload->>'userId' = $1 ORDER BY id DESC LIMIT 1",
    [userId],
  );
  return r[0] as { id: string; dead_at: Date | null };
};

/** A dead job written straight into the outbox (a fixture: the listing is under test, not how jobs die). */
async function deadRow(topic: string, deadAt: string, error = "boom"): Promise<string> {
  const [r] = await t.ds.query(
    `INSERT INTO outbox (topic, payload, attempts, last_error, dead_at, created_at) VALUES ($1, $2::jsonb, 3, $3, $4::timestamptz, $4::timestamptz - interval '1 minute') RETURNING id::text`,
    [topic, JSON.stringify({ n: deadAt }), error, deadAt],
  );
  return r.id;
}

describe("a dead invitation, retried by an admin", () => {
  it("451 until out of attempts -> dead, invitation failed; after the server accepts again, a retry sends it and it is pending", async () => {
    const email = `slow.${Date.now()}@corp.test`;
    sink.refuse(email, 451);
    const created = await t.admin.post("/users", { ...personBody(), email, invite: "now" }).expect(201);
    const userId = created.body.id as string;

    await eventually(async () => (await invitationOf(userId)).status === "failed", 10_000, "invitation failed");
    const job = await deadJobOf(userId);
    expect(job.dead_at).not.toBeNull();
    const listed = await auditor.get("/dead-letters?topic=invitation.requested").expect(200);
    const letter = listed.body.items.find((d: { id: string }) => d.id === job.id);
    expect(letter).toMatchObject({ topic: "invitation.requested", attempts: 2, payload: { userId } });
    expect(letter.lastError).toContain("451");
    expect(new Date(letter.deadAt).getTime()).toBeGreaterThanOrEqual(new Date(letter.createdAt).getTime());
    expect(sink.mails.filter((m) => m.to.includes(email))).toHaveLength(0);

    // Auditors read; only admins retry.
    const refused = await auditor.post(`/dead-letters/${job.id}/retry`).expect(403);
    expect(refused.body.code).toBe("read_only");

    sink.accept(email);
    const retried = await t.admin.post(`/dead-letters/${job.id}/retry`).expect(202);
    expect(retried.body).toMatchObject({ id: job.id, attempts: 0, deadAt: null, revived: { status: "queued" } });
    await eventually(async () => sink.mails.some((m) => m.to.includes(email)), 10_000, "the mail");
    const mails = sink.mails.filter((m) => m.to.includes(email));
    expect(mails).toHaveLength(1);
    expect(mails[0].token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const inv = await eventually(
      async () => {
        const i = await invitationOf(userId);
        return i.status === "pending" ? i : null;
      },
      5000,
      "invitation pending",
    );
    expect(inv).toMatchObject({ failedAt: null, failure: null, channels: ["email"] });
    // The job is marked done once its handler has returned, a moment after the invitation shows sent.
    const row = await eventually(
      async () => {
        const [r] = await t.ds.query("SELECT processed_at, dead_at, attempts, last_error FROM outbox WHERE id = $1", [
          job.id,
        ]);
        return r.processed_at ? r : null;
      },
      5000,
      "the job done",
    );
    expect(row).toMatchObject({ dead_at: null, attempts: 1, last_error: null });

    const audit = await t.ds.query(
      "SELECT action, target_type, target_id, changes FROM audit_events WHERE action IN ('outbox.retried', 'invitation.revived') ORDER BY id",
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: "outbox.retried", target_type: "outbox", target_id: job.id }),
        expect.objectContaining({ action: "invitation.revived", target_type: "user", target_id: userId }),
      ]),
    );
    const retriedAudit = audit.find((a: { action: string }) => a.action === "outbox.retried");
    expect(retriedAudit.changes).toMatchObject({
      topic: "invitation.requested",
      attempts: { before: 2, after: 0 },
      revived: { status: "queued" },
    });

    const again = await t.admin.post(`/dead-letters/${job.id}/retry`).expect(409);
    expect(again.body.code).toBe("not_dead");
  });

  it("a dead invitation replaced by a resend stays failed when its job is retried, and nothing more is sent for it", async () => {
    const email = `gone.${Date.now()}@corp.test`;
    sink.refuse(email, 550);
    const created = await t.admin.post("/users", { ...personBody(), email, invite: "now" }).expect(201);
    const userId = created.body.id as string;
    await eventually(async () => (await invitationOf(userId)).status === "failed", 10_000, "invitation failed");
    const oldJob = await deadJobOf(userId);

    sink.accept(email);
    await t.admin.post(`/users/${userId}/invitation`).expect(202);
    await eventually(async () => (await invitationOf(userId)).status === "pending", 10_000, "the resend pending");
    const before = sink.mails.filter((m) => m.to.includes(email)).length;
    expect(before).toBe(1);

    const retried = await t.admin.post(`/dead-letters/${oldJob.id}/retry`).expect(202);
    expect(retried.body.revived).toMatchObject({ status: "failed", reason: "superseded" });
    await eventually(
      async () => (await t.ds.query("SELECT processed_at FROM outbox WHERE id = $1", [oldJob.id]))[0].processed_at,
      10_000,
      "the retried job done",
    );
    expect(sink.mails.filter((m) => m.to.includes(email))).toHaveLength(1);
    expect((await invitationOf(userId)).status).toBe("pending");
  });
});

describe("GET /admin/v1/dead-letters", () => {
  it("pages newest first by the moment each job died, without repeats or gaps, and filters by topic", async () => {
    const ids = [
      await deadRow("user.created", "2030-01-01T10:00:00.000001Z"),
      await deadRow("user.created", "2030-01-01T10:00:00.000002Z"),
      await deadRow("group.created", "2030-01-01T10:00:00.000002Z"),
      await deadRow("user.created", "2030-01-01T11:00:00Z"),
      await deadRow("user.created", "2030-01-01T09:00:00Z"),
    ];
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { body: { items: { id: string; deadAt: string }[]; nextCursor: string | null } } = await t.admin
        .get(`/dead-letters?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
        .expect(200);
      seen.push(...r.body.items.map((i) => i.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    const mine = seen.filter((id) => ids.includes(id));
    // Newest first; the two that died in the same microsecond come by id, the later-written first.
    expect(mine).toEqual([ids[3], ids[2], ids[1], ids[0], ids[4]]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThanOrEqual(3);

    const groupsOnly = await t.admin.get("/dead-letters?topic=group.created").expect(200);
    expect(groupsOnly.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2]]);
    expect(groupsOnly.body.nextCursor).toBeNull();
    const none = await t.admin.get("/dead-letters?topic=entity.deleted").expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it("refuses bad parameters with 400 naming them", async () => {
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["limit=x", "limit"],
      ["topic=DROP%20TABLE", "topic"],
      ["cursor=abc", "cursor"],
      ["order=asc", "body"],
    ]) {
      const r = await t.admin.get(`/dead-letters?${query}`).expect(400);
      expect(r.headers["content-type"]).toContain("application/problem+json");
      if (field !== "body") expect(r.body.field).toBe(field);
    }
    const forged = Buffer.from("2030-01-01 10:00:00+00|1; DROP TABLE outbox").toString("base64url");
    expect((await t.admin.get(`/dead-letters?cursor=${forged}`).expect(400)).body.code).toBe("invalid_value");
  });

  it("is for the whole organisation's admins and auditors: a limited admin gets 403 out_of_scope, no token 401", async () => {
    const site = await entity(t, `Site ${Date.now()}`);
    const scoped = await scopedAdmin(t, [site]);
    expect((await scoped.client.get("/dead-letters").expect(403)).body.code).toBe("out_of_scope");
    const id = await deadRow("user.updated", "2030-02-01T00:00:00Z");
    expect((await scoped.client.post(`/dead-letters/${id}/retry`).expect(403)).body.code).toBe("out_of_scope");
    await t.admin.get("/dead-letters").set("Authorization", "").expect(401);
  });
});

describe("POST /admin/v1/dead-letters/{id}/retry", () => {
  it("404 for an unknown or malformed id, 409 not_dead for a job that is not dead", async () => {
    expect((await t.admin.post("/dead-letters/999999999/retry").expect(404)).body.code).toBe("not_found");
    await t.admin.post("/dead-letters/abc/retry").expect(404);
    await t.admin.post("/dead-letters/0/retry").expect(404);
    await t.admin.post(`/dead-letters/${"9".repeat(30)}/retry`).expect(404);
    const [queued] = await t.ds.query(
      "INSERT INTO outbox (topic, payload) VALUES ('user.created', '{}') RETURNING id::text",
    );
    expect((await t.admin.post(`/dead-letters/${queued.id}/retry`).expect(409)).body.code).toBe("not_dead");
  });

  it("two retries of one job at once: one is accepted, the other is 409, and one audit record is written", async () => {
    // A topic no module consumes: nothing runs the job once it is due again.
    const id = await deadRow("group.deleted", "2030-03-01T00:00:00Z");
    const answers = await Promise.all([
      t.admin.post(`/dead-letters/${id}/retry`),
      t.admin.post(`/dead-letters/${id}/retry`),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const [row] = await t.ds.query("SELECT dead_at, attempts, available_at <= now() AS due FROM outbox WHERE id = $1", [
      id,
    ]);
    expect(row).toEqual({ dead_at: null, attempts: 0, due: true });
    const audits = await t.ds.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'outbox.retried' AND target_id = $1",
      [id],
    );
    expect(audits[0].n).toBe(1);
  });
});
