import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this request was answered with (0: never answered, e.g. still waiting when the sender gave up). */
  status: number;
  at: number;
}

/** What to answer a request: a status, or a status after a delay (ms). */
export type Answer = number | { status: number; delayMs: number };

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Decides each answer (default 200); the request's index among all received so far is given. */
  answer: (r: Received, index: number) => Answer;
  /** Waits until `predicate` holds of what was received (polling), or fails after `timeoutMs`. */
  until(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real HTTP server on loopback that records every webhook delivery sent to it. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const receiver: WebhookReceiver = {
    url: "",
    received,
    answer: () => 200,
    async until(predicate, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > end)
          throw new Error(`receiver: condition not met in ${timeoutMs} ms (${received.length} received)`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        status: 0,
        at: Date.now(),
      };
      const index = received.push(r) - 1;
      const a = receiver.answer(r, index);
      const { status, delayMs } = typeof a === "number" ? { status: a, delayMs: 0 } : a;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (res.destroyed) return;
        r.status = status;
        res.writeHead(status, { "content-type": "text/plain" }).end(`answered ${status}`);
      }, delayMs);
      timers.add(timer);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
