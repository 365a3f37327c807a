import type { AddressInfo } from "node:net";
import { Pool } from "pg";
import { SMTPServer } from "smtp-server";
import { type CpuWindow, startCpuWindow } from "./machine";

/** A real SMTP server in the bench process that counts what it accepts (recipients kept, messages not: 10k parsed mails would weigh). */
export interface CountingSink {
  url: string;
  received(): number;
  recipients(): number;
  close(): Promise<void>;
}

export async function startCountingSink(): Promise<CountingSink> {
  let received = 0;
  const recipients = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 1024 * 1024,
    maxClients: 100,
    onData(stream, session, cb) {
      stream.on("end", () => {
        received++;
        for (const r of session.envelope.rcptTo) recipients.add(r.address);
        cb();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    recipients: () => recipients.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface InviteBenchOptions {
  baseUrl: string;
  adminToken: string;
  dbUrl: string;
  runId: string;
  users: number;
  sink: CountingSink;
  timeoutSeconds: number;
  say: (line?: string) => void;
}

export interface InviteResult {
  seedSeconds: number;
  /** POST /users/actions answered (202, the job queued). */
  acceptedSeconds: number;
  /** Every invitation.requested job written (the admin job's items all invited). */
  enqueueSeconds: number;
  /** Every mail received by the sink, from the POST. */
  deliveredSeconds: number;
  duplicates: number;
  dead: number;
  cpu: CpuWindow;
  problems: string[];
}

const since = (t0: number) => (performance.now() - t0) / 1000;

/**
 * Mass invite: `users` people with emails seeded by SQL (not timed), then one POST /admin/v1/users/actions invite
 * by filter, which becomes a background job; timed until all invitation.requested jobs exist, and until the sink
 * has every mail, the worker running in the server process (ROLE=all) at its default settings.
 */
export async function inviteWorkload(o: InviteBenchOptions): Promise<InviteResult> {
  const pool = new Pool({ connectionString: o.dbUrl, max: 1, application_name: "roster-bench-invite" });
  const problems: string[] = [];
  try {
    const family = `Invitee${o.runId}`;
    const s0 = performance.now();
    await pool.query(
      `INSERT INTO users (user_name, given_name, family_name, source, emails)
       SELECT 'inv' || g || '.' || $1 || '@bench.example', 'Bench', $2, 'csv',
              jsonb_build_array(jsonb_build_object('value', 'inv' || g || '.' || $1 || '@bench.example', 'type', 'work', 'primary', true))
       FROM generate_series(1, $3::int) g`,
      [o.runId, family, o.users],
    );
    await pool.query("VACUUM ANALYZE users");
    const seedSeconds = since(s0);
    const {
      rows: [{ last }],
    } = await pool.query<{ last: string }>("SELECT coalesce(max(id), 0)::text AS last FROM outbox");
    const enqueued = async () =>
      (
        await pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM outbox WHERE id > $1 AND topic = 'invitation.requested'",
          [last],
        )
      ).rows[0].n;

    o.say(
      `invite: ${o.users} people seeded in ${seedSeconds.toFixed(1)} s; POST /admin/v1/users/actions {action: invite, filter: {q}}`,
    );
    const cpuEnd = startCpuWindow();
    const t0 = performance.now();
    const res = await fetch(`${o.baseUrl}/admin/v1/users/actions`, {
      method: "POST",
      headers: { authorization: `Bearer ${o.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ action: "invite", filter: { q: family.toLowerCase() } }),
    });
    const acceptedSeconds = since(t0);
    if (res.status !== 202) throw new Error(`mass invite answered ${res.status}: ${await res.text()}`);
    const deadline = t0 + o.timeoutSeconds * 1000;
    let enqueueSeconds = NaN;
    let deliveredSeconds = NaN;
    while (performance.now() < deadline && (Number.isNaN(enqueueSeconds) || Number.isNaN(deliveredSeconds))) {
      if (Number.isNaN(enqueueSeconds) && (await enqueued()) >= o.users) enqueueSeconds = since(t0);
      if (Number.isNaN(deliveredSeconds) && o.sink.recipients() >= o.users) deliveredSeconds = since(t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    const cpu = cpuEnd();
    if (Number.isNaN(enqueueSeconds))
      problems.push(`only ${await enqueued()} of ${o.users} invitation jobs written in ${o.timeoutSeconds} s`);
    if (Number.isNaN(deliveredSeconds))
      problems.push(`only ${o.sink.recipients()} of ${o.users} people mailed in ${o.timeoutSeconds} s`);
    // A late duplicate would arrive within a poll or two.
    await new Promise((r) => setTimeout(r, 1000));
    const {
      rows: [{ dead }],
    } = await pool.query<{ dead: number }>(
      "SELECT count(*)::int AS dead FROM outbox WHERE id > $1 AND topic = 'invitation.requested' AND dead_at IS NOT NULL",
      [last],
    );
    if (dead > 0) problems.push(`${dead} invitation jobs went to the dead letters`);
    return {
      seedSeconds,
      acceptedSeconds,
      enqueueSeconds,
      deliveredSeconds,
      duplicates: o.sink.received() - o.sink.recipients(),
      dead,
      cpu,
      problems,
    };
  } finally {
    await pool.end();
  }
}
