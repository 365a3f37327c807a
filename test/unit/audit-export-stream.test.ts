import express from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AuditRecord } from "../../src/domain/audit-log/audit-log";
import { streamExport } from "../../src/http/admin/audit-export";

const BATCHES = 100;
const PER_BATCH = 500;

const record = (seq: number): AuditRecord => ({
  seq,
  id: seq,
  at: new Date(0),
  actor: { type: "system", id: null, name: "bench" },
  door: "system",
  action: "test.stream",
  target: { type: "user", id: null },
  changes: { pad: "x".repeat(200) },
  requestId: null,
  prevHash: "0".repeat(64),
  hash: "f".repeat(64),
});

/** A real HTTP server exporting 50,000 synthetic records; counts how many batches the export has pulled so far. */
async function server() {
  const state = { pulled: 0, finished: false, listeners: 0 };
  const app = express().get("/", async (_req, res) => {
    async function* batches() {
      try {
        for (let b = 0; b < BATCHES; b++) {
          state.pulled++;
          state.listeners = Math.max(state.listeners, res.listenerCount("drain") + res.listenerCount("close"));
          yield Array.from({ length: PER_BATCH }, (_, i) => record(b * PER_BATCH + i + 1));
        }
      } finally {
        state.finished = true;
      }
    }
    await streamExport(res, "ndjson", batches());
  });
  const s = app.listen(0);
  await new Promise((r) => s.once("listening", r));
  return {
    state,
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`,
    close: () => new Promise((r) => s.close(r)),
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("streamExport backpressure", () => {
  it("pulls no more batches while the client does not read, then delivers everything once it does", async () => {
    const srv = await server();
    try {
      const res = await new Promise<http.IncomingMessage>((resolve) => http.get(srv.url, resolve));
      res.pause();
      await pause(300);
      const whilePaused = srv.state.pulled;
      await pause(300);
      // Socket and kernel buffers take a few batches (~140 KB each); the rest waits for 'drain'.
      expect(srv.state.pulled).toBe(whilePaused);
      expect(whilePaused).toBeLessThan(BATCHES / 2);
      let lines = 0;
      res.setEncoding("utf8");
      res.on("data", (c: string) => (lines += c.split("\n").length - 1));
      res.resume();
      await new Promise((r) => res.once("end", r));
      expect(lines).toBe(BATCHES * PER_BATCH);
      expect(srv.state.pulled).toBe(BATCHES);
      // Each wait for 'drain' removes its listeners again (none pile up over a long export).
      expect(srv.state.listeners).toBeLessThan(5);
    } finally {
      await srv.close();
    }
  });

  it("stops pulling when the client goes away", async () => {
    const srv = await server();
    try {
      const req = http.get(srv.url);
      const res = await new Promise<http.IncomingMessage>((resolve) => req.once("response", resolve));
      res.pause();
      await pause(200);
      req.destroy();
      await pause(300);
      expect(srv.state.finished).toBe(true);
      expect(srv.state.pulled).toBeLessThan(BATCHES);
    } finally {
      await srv.close();
    }
  });
});
