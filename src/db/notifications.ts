import { Client } from "pg";

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTENs on a PostgreSQL channel over a dedicated connection (not one from the pool), calling `onMessage`
 * for each NOTIFY. A lost connection calls `onGap` (messages may have been missed) and reconnects with backoff.
 */
export async function listen(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onGap: () => void,
): Promise<Listener> {
  let client: Client | undefined;
  let closed = false;
  let delay = 500;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: url, application_name: "roster-listen" });
    c.on("notification", (n) => n.channel === channel && onMessage(n.payload ?? ""));
    c.on("error", () => retry());
    c.on("end", () => retry());
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
    delay = 500;
  };
  const retry = () => {
    if (closed || timer) return;
    onGap();
    client = undefined;
    timer = setTimeout(() => {
      timer = undefined;
      connect().catch(() => retry());
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, 30_000);
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
