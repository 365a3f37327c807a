import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "pg";
import { Webhook } from "standardwebhooks";
import { Agent, request } from "undici";
import { type CpuWindow, startCpuWindow } from "./machine";
import { startWorkerProcess } from "./server";

/** A webhook receiver in the bench process: answers 204 at once, counts distinct webhook-ids and all requests. */
export interface CountingReceiver {
  url: string;
  distinct(): number;
  requests(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingReceiver(): Promise<CountingReceiver> {
  const ids = new Set<string>();
  let requests = 0;
  const server = createServer((req, res) => {
    req.on("data", () => undefined);
    req.on("end", () => {
      requests++;
      ids.add(String(req.headers["webhook-id"]));
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    distinct: () => ids.size,
    requests: () => requests,
    reset: () => {
      ids.clear();
      requests = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface EventsBenchOptions {
  baseUrl: string;
  scimToken: string;
  adminToken: string;
  dbUrl: string;
  runId: string;
  changes: number;
  /** How the changes are made: SCIM /Bulk creates (timed), or their feed rows written by SQL in one statement. */
  via: "scim" | "sql";
  /** KEY_ENCRYPTION_SECRET the server was started with: the worker process must open the same sealed secrets. */
  keyEncryptionSecret: string;
  /** The floor's concurrency: Roster's delivery loops x batch size (defaults 4 x 50). */
  concurrency: number;
  receiver: CountingReceiver;
  timeoutSeconds: number;
  say: (line?: string) => void;
}

export interface EventsResult {
  changesSeconds: number;
  /** From the worker process ready until the receiver had every event. */
  deliveredSeconds: number;
  duplicates: number;
  failed: number;
  floorDeliveriesPerSecond: number;
  feedPages: number;
  feedPagesPerSecond: number;
  floorPagesPerSecond: number;
  cpu: CpuWindow;
  problems: string[];
}

const since = (t0: number) => (performance.now() - t0) / 1000;
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const PAGE = 100;

/**
 * Webhooks and the events feed: one endpoint (user.created) on the receiver, then `changes` people created through
 * SCIM /Bulk (1000 operations a request, two requests at a time), or (`via` sql, the default: on a loaded machine /Bulk
 * takes long) their feed rows written by SQL, 5 per subject, on a server that delivers nothing (WEBHOOK_LOOPS=0);
 * then a worker process (ROLE=worker, defaults) is started and timed, from ready, until the receiver has every event. Beside it, its floor: the same number of signed POSTs from this
 * process to the same receiver at the worker's concurrency, without a database. Then the whole feed read page by page
 * (limit 100) through GET /admin/v1/events, beside its floor: the same keyset SQL on the same table from this process.
 */
export async function eventsWorkload(o: EventsBenchOptions): Promise<EventsResult> {
  const problems: string[] = [];
  const pool = new Pool({ connectionString: o.dbUrl, max: 2, application_name: "roster-bench-events" });
  const admin = { authorization: `Bearer ${o.adminToken}`, "content-type": "application/json" };
  try {
    const hook = await fetch(`${o.baseUrl}/admin/v1/webhooks`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ url: o.receiver.url, events: ["user.created"], description: `bench ${o.runId}` }),
    });
    if (hook.status !== 201) throw new Error(`POST /admin/v1/webhooks answered ${hook.status}: ${await hook.text()}`);
    const { id: hookId, secret } = (await hook.json()) as { id: string; secret: string };
    const start = (await (await fetch(`${o.baseUrl}/admin/v1/events?limit=1`, { headers: admin })).json()) as {
      next: string;
    };
    o.receiver.reset();
    o.say(`events: ${o.changes} changes (${o.via}), for a webhook on loopback...`);
    const t0 = performance.now();
    let next = 0;
    const bulker = async () => {
      while (next < o.changes) {
        const from = next;
        next = Math.min(o.changes, next + 1000);
        const Operations = [];
        for (let i = from; i < next; i++)
          Operations.push({
            method: "POST",
            bulkId: `b${i}`,
            path: "/Users",
            data: {
              schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
              userName: `ev${i}.${o.runId}@bench.example`,
              name: { givenName: "Ev", familyName: `N${i}` },
            },
          });
        const res = await fetch(`${o.baseUrl}/scim/v2/Bulk`, {
          method: "POST",
          headers: { authorization: `Bearer ${o.scimToken}`, "content-type": "application/scim+json" },
          body: JSON.stringify({ schemas: [BULK], Operations }),
        });
        const body = (await res.json()) as { Operations?: { status: string }[] };
        const bad = (body.Operations ?? []).filter((op) => op.status !== "201").length;
        if (res.status !== 200 || bad > 0) problems.push(`/Bulk answered ${res.status} with ${bad} failed operations`);
      }
    };
    if (o.via === "scim") await Promise.all([bulker(), bulker()]);
    else {
      // the feed rows a change writes, 5 per subject (creation then 4 updates in one go: order per subject matters)
      await pool.query(
        `INSERT INTO events (type, subject_type, subject_id, data, door, actor)
         SELECT 'user.created', 'user', 'bench-' || $1 || '-' || (g % ($2::int / 5)),
                jsonb_build_object('userId', 'bench-' || $1 || '-' || (g % ($2::int / 5)), 'n', g), 'scim',
                '{"type": "token", "id": null, "name": "bench"}'::jsonb
         FROM generate_series(0, $2::int - 1) g`,
        [o.runId, o.changes],
      );
    }
    const changesSeconds = since(t0);
    if (o.receiver.requests() > 0) problems.push("deliveries were sent before the worker process started");
    o.say(`events: ${o.changes} changes in ${changesSeconds.toFixed(1)} s; starting the worker process...`);
    const worker = await startWorkerProcess(o.dbUrl, {
      KEY_ENCRYPTION_SECRET: o.keyEncryptionSecret,
      ALLOW_PRIVATE_TARGETS: "true",
    });
    const cpuEnd = startCpuWindow();
    const w0 = performance.now();
    const deadline = w0 + o.timeoutSeconds * 1000;
    while (o.receiver.distinct() < o.changes && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const deliveredSeconds = since(w0);
    const cpu = cpuEnd();
    const stopped = await worker.stop();
    if (stopped) problems.push(stopped);
    if (o.receiver.distinct() < o.changes)
      problems.push(`only ${o.receiver.distinct()} of ${o.changes} events delivered in ${o.timeoutSeconds} s`);
    const {
      rows: [{ failed }],
    } = await pool.query<{ failed: number }>(
      "SELECT count(*)::int AS failed FROM webhook_deliveries WHERE webhook_id = $1 AND state = 'failed'",
      [hookId],
    );
    const duplicates = o.receiver.requests() - o.receiver.distinct();

    // the floor: the same signed POSTs, straight from here
    o.receiver.reset();
    const floorDeliveriesPerSecond = await deliveryFloor(o.receiver, secret, o.changes, o.concurrency);

    // the feed, page by page, through Roster and then through the floor SQL
    const f0 = performance.now();
    let cursor = start.next;
    let feedPages = 0;
    let feedEvents = 0;
    for (;;) {
      const r = await fetch(`${o.baseUrl}/admin/v1/events?limit=${PAGE}&after=${cursor}`, { headers: admin });
      const page = (await r.json()) as { items: unknown[]; next: string };
      feedPages++;
      feedEvents += page.items.length;
      cursor = page.next;
      if (page.items.length < PAGE) break;
    }
    const feedPagesPerSecond = feedPages / since(f0);
    if (feedEvents < o.changes) problems.push(`the feed listed ${feedEvents} events, fewer than ${o.changes}`);
    const floorPagesPerSecond = await feedFloor(pool, feedPages);
    return {
      changesSeconds,
      deliveredSeconds,
      duplicates,
      failed,
      floorDeliveriesPerSecond,
      feedPages,
      feedPagesPerSecond,
      floorPagesPerSecond,
      cpu,
      problems,
    };
  } finally {
    await pool.end();
  }
}

/** Signed POSTs of `n` event-sized bodies to the receiver at `concurrency`, over keep-alive: deliveries/s. */
async function deliveryFloor(rx: CountingReceiver, secret: string, n: number, concurrency: number): Promise<number> {
  const signer = new Webhook(secret);
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  let next = 0;
  const t0 = performance.now();
  const loop = async () => {
    while (next < n) {
      const i = next++;
      const id = `floor-${i}`;
      const body = JSON.stringify({
        type: "user.created",
        timestamp: new Date().toISOString(),
        data: { id, type: "user.created", subject: { type: "user", id: `u${i}` }, data: { userId: `u${i}` } },
      });
      const now = new Date();
      const res = await request(rx.url, {
        method: "POST",
        dispatcher: agent,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": signer.sign(id, now, body),
        },
        body,
      });
      await res.body.dump();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const rate = n / since(t0);
  await agent.close();
  return rate;
}

/** The feed's page SQL from this process, `pages` pages of 100 from the start: pages/s. */
async function feedFloor(pool: Pool, pages: number): Promise<number> {
  const text = `SELECT e.id, e.type, e.time, e.subject_type, e.subject_id, e.data, e.door, e.actor, e.xid::text AS xid,
      e.seq::text AS seq FROM events e
    WHERE (e.xid, e.seq) > ($1::xid8, $2::bigint) AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.xid, e.seq LIMIT $3`;
  let xid = "0";
  let seq = "0";
  const t0 = performance.now();
  for (let p = 0; p < pages; p++) {
    const { rows } = await pool.query<{ xid: string; seq: string }>({
      name: "feed-floor",
      text,
      values: [xid, seq, PAGE],
    });
    if (rows.length === 0) break;
    ({ xid, seq } = rows[rows.length - 1]);
    JSON.stringify(rows);
  }
  return pages / since(t0);
}
