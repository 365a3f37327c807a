import { freePort } from "../../src/db/embedded";
import { startTestApp, type TestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { buildScimUser } from "../support/factories";
import { killStrayServers, startServer, tempDataDir } from "../support/process";
import { type WebhookReceiver, startWebhookReceiver } from "../support/webhook-receiver";

// A worker process (the real server, ROLE=worker) killed with SIGKILL while deliveries are in flight: every event is
// delivered at least once, none is lost, and a delivery sent again carries the same webhook-id.
const KEY = "test-key-encryption-secret-of-32-chars!";
let t: TestApp;
let rx: WebhookReceiver;
beforeAll(async () => {
  t = await startTestApp({ ALLOW_PRIVATE_TARGETS: "true", KEY_ENCRYPTION_SECRET: KEY, WORKER_POLL_MS: "50" });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await killStrayServers();
  await t.close();
  await rx.close();
});

it("kill -9 of the worker mid-delivery: each event delivered at least once, repeats with the same webhook-id", async () => {
  const EVENTS = 40;
  rx.answer = () => ({ status: 200, delayMs: 1000 }); // slow enough that the kill finds attempts in flight
  await t.admin.post("/webhooks", { url: rx.url, events: ["user.created"] }).expect(201);
  const users: string[] = [];
  for (let i = 0; i < EVENTS; i++) users.push((await t.scim.post("/Users", buildScimUser()).expect(201)).body.id);

  const worker = await startServer({
    DATABASE_URL: await workerDatabaseUrl(),
    DATA_DIR: tempDataDir(),
    PORT: String(await freePort()),
    ROLE: "worker",
    ALLOW_PRIVATE_TARGETS: "true",
    KEY_ENCRYPTION_SECRET: KEY,
    WORKER_POLL_MS: "50",
    WORKER_LEASE_MS: "3000",
    WEBHOOK_LOOPS: "2",
    WEBHOOK_BATCH_SIZE: "4",
    LOG_LEVEL: "warn",
  });
  await rx.until((got) => got.length >= 6, 30_000);
  const inFlight = rx.received.filter((r) => r.status === 0).length;
  worker.proc.kill("SIGKILL");
  await new Promise<void>((resolve) => worker.proc.once("exit", () => resolve()));
  const atKill = rx.received.length;
  expect(atKill).toBeLessThan(EVENTS); // killed part-way
  expect(inFlight).toBeGreaterThan(0); // with attempts in flight

  // another worker (this process) takes over once the dead one's leases end
  await t.startWorker({}, { WORKER_POLL_MS: "50" });
  const subjectOf = (body: string) => JSON.parse(body).data.subject.id as string;
  await rx.until(
    (got) => new Set(got.filter((r) => r.status === 200).map((r) => subjectOf(r.body))).size === EVENTS,
    30_000,
  );

  // every delivery stored as delivered (a resend after the lease may still be under way)
  const end = Date.now() + 30_000;
  const delivered = async () =>
    (await t.ds.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE state = 'delivered'"))[0].n;
  while ((await delivered()) < EVENTS && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  const idsBySubject = new Map<string, Set<string>>();
  for (const r of rx.received) {
    const s = subjectOf(r.body);
    idsBySubject.set(s, (idsBySubject.get(s) ?? new Set()).add(String(r.headers["webhook-id"])));
  }
  expect([...idsBySubject.keys()].sort()).toEqual([...users].sort());
  for (const ids of idsBySubject.values()) expect(ids.size).toBe(1); // a repeat carries the same webhook-id
  expect(rx.received.length).toBeGreaterThan(EVENTS); // the attempts in flight at the kill were sent again
  const feedIds = (await t.ds.query("SELECT id FROM events WHERE type = 'user.created'")).map(
    (e: { id: string }) => e.id,
  );
  expect(new Set([...idsBySubject.values()].flatMap((s) => [...s]))).toEqual(new Set(feedIds));
  const states = await t.ds.query("SELECT state, count(*)::int AS n FROM webhook_deliveries GROUP BY state");
  expect(states).toEqual([{ state: "delivered", n: EVENTS }]);
}, 120_000);
