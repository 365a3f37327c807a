import { Webhook } from "standardwebhooks";
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";
import { type Received, type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver";

// Webhooks end to end: the admin API, and deliveries by the real worker to a receiver on loopback
// (ALLOW_PRIVATE_TARGETS on), signed per Standard Webhooks and checked with the same package.
let t: TestApp;
let rx: WebhookReceiver;
beforeAll(async () => {
  t = await startTestApp({
    ALLOW_PRIVATE_TARGETS: "true",
    KEY_ENCRYPTION_SECRET: "test-key-encryption-secret-of-32-chars!",
    WORKER_POLL_MS: "30",
    OUTBOUND_TIMEOUT_MS: "400",
    WEBHOOK_RETRY_SCHEDULE: "50ms,100ms,150ms,200ms",
  });
  rx = await startWebhookReceiver();
  await t.startWorker();
});
afterAll(async () => {
  await t.close();
  await rx.close();
});

let secret: string;
let hookId: string;
beforeEach(async () => {
  // one endpoint per test, the earlier ones gone, a clean receiver
  for (const w of (await t.admin.get("/webhooks?limit=200").expect(200)).body.items)
    await t.admin.delete(`/webhooks/${w.id}`).expect(204);
  rx.received.length = 0;
  rx.answer = () => 200;
  const res = await t.admin.post("/webhooks", { url: rx.url, events: ["user.created", "user.updated"] }).expect(201);
  secret = res.body.secret;
  hookId = res.body.id;
});

const bodyOf = (r: Received) => JSON.parse(r.body);
const verified = (r: Received, s = secret) =>
  new Webhook(s).verify(r.body, r.headers as Record<string, string>) as { type: string; data: any };
const newUser = async (overrides: Record<string, unknown> = {}) =>
  (await t.scim.post("/Users", buildScimUser(overrides)).expect(201)).body;
const deliveries = async (id = hookId) => (await t.admin.get(`/webhooks/${id}/deliveries`).expect(200)).body.items;

describe("the admin API", () => {
  it("create shows the secret once; list and get never do; update; delete", async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const got = (await t.admin.get(`/webhooks/${hookId}`).expect(200)).body;
    expect(got).toMatchObject({ id: hookId, url: rx.url, events: ["user.created", "user.updated"], enabled: true });
    expect(JSON.stringify(got)).not.toContain("whsec_");
    expect(JSON.stringify((await t.admin.get("/webhooks").expect(200)).body)).not.toContain("whsec_");
    const changed = await t.admin.patch(`/webhooks/${hookId}`, { events: ["group.created"], description: "Platform" });
    expect(changed.body).toMatchObject({ events: ["group.created"], description: "Platform" });
    await t.admin.delete(`/webhooks/${hookId}`).expect(204);
    await t.admin.get(`/webhooks/${hookId}`).expect(404);
  });

  it.each([
    [{ url: "ftp://example.com/x", events: ["user.created"] }, "url"],
    [{ url: "not a url", events: ["user.created"] }, "url"],
    [{ url: "https://example.com/x", events: [] }, "events"],
    [{ url: "https://example.com/x", events: ["user.exploded"] }, "events"],
    [{ url: "https://example.com/x" }, "events"],
    [{ url: "https://example.com/x", events: ["user.created"], colour: "red" }, "colour"],
  ])("bad input %j: 400 naming %s", async (body, field) => {
    const res = await t.admin.post("/webhooks", body).expect(400);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it("unknown or malformed ids are 404s, a bad cursor or state a 400 naming it", async () => {
    await t.admin.get("/webhooks/not-a-uuid").expect(404);
    await t.admin.get("/webhooks/00000000-0000-4000-8000-000000000000/deliveries").expect(404);
    await t.admin.post(`/webhooks/${hookId}/deliveries/abc/retry`).expect(404);
    await t.admin.patch("/webhooks/00000000-0000-4000-8000-000000000000", { description: "x" }).expect(404);
    expect((await t.admin.get("/webhooks?cursor=zz").expect(400)).body.field).toBe("cursor");
    expect((await t.admin.get(`/webhooks/${hookId}/deliveries?state=lost`).expect(400)).body.field).toBe("state");
    expect(
      (await t.admin.post(`/webhooks/${hookId}/rotate-secret`, { overlapSeconds: -1 }).expect(400)).body.field,
    ).toBe("overlapSeconds");
  });

  it("changes are audited, without the secret", async () => {
    await t.admin.post(`/webhooks/${hookId}/rotate-secret`, {}).expect(200);
    await t.admin.post(`/webhooks/${hookId}/disable`).expect(200);
    const rows = await t.ds.query(
      "SELECT action, changes FROM audit_events WHERE target_type = 'webhook' AND target_id = $1 ORDER BY id",
      [hookId],
    );
    expect(rows.map((r: { action: string }) => r.action)).toEqual([
      "webhook.created",
      "webhook.secret_rotated",
      "webhook.disabled",
    ]);
    expect(JSON.stringify(rows)).not.toContain("whsec_");
  });

  it("auditors read; they do not create", async () => {
    const auditor = t.adminAs(await t.token("auditor"));
    await auditor.get("/webhooks").expect(200);
    await auditor.post("/webhooks", { url: rx.url, events: ["user.created"] }).expect(403);
  });
});

describe("deliveries", () => {
  it("are signed per Standard Webhooks: webhook-id is the event's id, body {type, timestamp, data}", async () => {
    const u = await newUser();
    const [r] = await rx.until((got) => got.length >= 1);
    const payload = verified(r);
    expect(payload.type).toBe("user.created");
    expect(bodyOf(r)).toMatchObject({ type: "user.created", data: { subject: { type: "user", id: u.id } } });
    expect(Date.parse(bodyOf(r).timestamp)).toBeGreaterThan(Date.now() - 60_000);
    const feed = (await t.admin.get("/events?types=user.created&limit=1000").expect(200)).body.items;
    expect(feed.find((e: { subject: { id: string } }) => e.subject.id === u.id).id).toBe(r.headers["webhook-id"]);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(24, 1).toString("base64")}`).verify(r.body, r.headers as never),
    ).toThrow();
  });

  it("only subscribed types; user.updated carries old and new values", async () => {
    const u = await newUser({ title: "Cook" });
    await t.scim.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "active", value: false })).expect(200);
    await t.scim.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: "Chef" })).expect(200);
    const got = await rx.until((g) => g.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.map((r) => bodyOf(r).type)).toEqual(["user.created", "user.updated"]); // no user.deactivated
    expect(bodyOf(got[1]).data.data.changes).toEqual({ title: { old: "Cook", new: "Chef" } });
  });

  it("are retried after 500s, with the same webhook-id, then delivered; the list shows the attempt", async () => {
    rx.answer = (_r, i) => (i < 2 ? 500 : 202);
    await newUser();
    const got = await rx.until((g) => g.length >= 3);
    expect(new Set(got.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const [d] = await waitFor<any>(async () =>
      (await deliveries()).filter((x: { status: string }) => x.status === "delivered"),
    );
    expect(d).toMatchObject({ status: "delivered", attempt: 3, responseStatus: 202, responseExcerpt: "answered 202" });
    expect(d.durationMs).toBeGreaterThanOrEqual(0);
    expect(d.attempts.map((a: { attempt: number; status: number }) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 202],
    ]);
    expect(d.attempts[0]).toMatchObject({ error: "HTTP 500", response: "answered 500" });
  });

  it("an attempt past the timeout is retried", async () => {
    rx.answer = (_r, i) => (i === 0 ? { status: 200, delayMs: 1500 } : 200);
    await newUser();
    const got = await rx.until((g) => g.length >= 2);
    expect(got[1].headers["webhook-id"]).toBe(got[0].headers["webhook-id"]);
    const [d] = await waitFor<any>(async () =>
      (await deliveries()).filter((x: { status: string }) => x.status === "delivered"),
    );
    expect(d.attempt).toBe(2);
  });

  it("a delivery that keeps failing fails once the schedule is spent; a retry sends it again", async () => {
    rx.answer = () => 503;
    await newUser();
    await rx.until((g) => g.length >= 5); // the first attempt and four retries
    const [d] = await waitFor<any>(async () =>
      (await deliveries()).filter((x: { status: string }) => x.status === "failed"),
    );
    expect(d).toMatchObject({ attempt: 5, responseStatus: 503, error: "HTTP 503" });
    rx.answer = () => 200;
    await t.admin.post(`/webhooks/${hookId}/deliveries/${d.id}/retry`).expect(202);
    await rx.until((g) => g.length >= 6);
    await waitFor(async () => (await deliveries()).filter((x: { status: string }) => x.status === "delivered"));
    await t.admin.post(`/webhooks/${hookId}/deliveries/999999/retry`).expect(404);
  });

  it("410 Gone disables the endpoint; nothing more is sent until it is enabled", async () => {
    rx.answer = () => 410;
    await newUser();
    await rx.until((g) => g.length >= 1);
    const w = await waitFor(async () => {
      const b = (await t.admin.get(`/webhooks/${hookId}`).expect(200)).body;
      return b.enabled ? [] : [b];
    });
    expect(w[0]).toMatchObject({ enabled: false, disabledReason: "gone" });
    rx.answer = () => 200;
    await newUser();
    await new Promise((r) => setTimeout(r, 400));
    expect(rx.received).toHaveLength(1);
    await t.admin.post(`/webhooks/${hookId}/enable`).expect(200);
    const u = await newUser();
    const got = await rx.until((g) => g.some((r) => bodyOf(r).data.subject.id === u.id));
    expect(got.length).toBe(2);
  });

  it("keep each subject's order through failures and retries", async () => {
    // the first attempt of every third event fails: retries interleave subjects, never one subject's events
    const seen = new Set<string>();
    rx.answer = (r) => {
      const id = String(r.headers["webhook-id"]);
      if (seen.has(id)) return 200;
      seen.add(id);
      return seen.size % 3 === 0 ? 500 : 200;
    };
    const users = await Promise.all([1, 2, 3, 4].map(() => newUser({ title: "t0" })));
    for (let n = 1; n <= 6; n++) {
      await Promise.all(
        users.map((u) =>
          t.scim.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "title", value: `t${n}` })).expect(200),
        ),
      );
    }
    const done = (g: Received[]) => g.filter((r) => r.status === 200).length >= 28;
    const got = (await rx.until(done)).filter((r) => r.status === 200);
    for (const u of users) {
      const titles = got
        .map(bodyOf)
        .filter((b) => b.data.subject.id === u.id)
        .map((b) => (b.type === "user.created" ? "t0" : b.data.data.changes.title.new));
      expect(titles).toEqual(["t0", "t1", "t2", "t3", "t4", "t5", "t6"]);
    }
  });

  it("a rotated secret: both sign during the overlap; after it only the new one", async () => {
    const rotated = (await t.admin.post(`/webhooks/${hookId}/rotate-secret`, { overlapSeconds: 600 }).expect(200)).body;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    expect(Date.parse(rotated.previousSecretValidUntil)).toBeGreaterThan(Date.now() + 500_000);
    await newUser();
    const [r] = await rx.until((g) => g.length >= 1);
    expect(String(r.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    verified(r, secret);
    verified(r, rotated.secret);

    const again = (await t.admin.post(`/webhooks/${hookId}/rotate-secret`, { overlapSeconds: 0 }).expect(200)).body;
    await newUser();
    const [, r2] = await rx.until((g) => g.length >= 2);
    expect(String(r2.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    verified(r2, again.secret);
    expect(() => verified(r2, rotated.secret)).toThrow();
  });
});

/** Polls `read` until it returns a non-empty list. */
async function waitFor<T>(read: () => Promise<T[]>, timeoutMs = 15_000): Promise<T[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v.length > 0) return v;
    if (Date.now() > end) throw new Error("waitFor: nothing in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
