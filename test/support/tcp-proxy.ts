import net from "node:net";

export interface TcpProxy {
  port: number;
  /** Closes every connection and stops listening: the database is gone. */
  cut(): Promise<void>;
  /** Stops forwarding bytes, closing nothing: the database is stalled (connections still open, no answers). */
  pause(): void;
  /**
   * Forwards again. By default what was held back is delivered, in order (the stall ends). With `abandon`, the
   * connections open now stay stalled for good, as after a lost network path, and only new ones work.
   */
  resume(opts?: { abandon?: boolean }): void;
}

/** A loopback TCP proxy that can be cut or stalled, to play database outages against real PostgreSQL. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const flushes = new Set<() => void>();
  const abandoned = new WeakSet<net.Socket>();
  let paused = false;
  // One direction of a connection: written through, or held while paused (or for good once abandoned).
  const forward = (from: net.Socket, to: net.Socket) => {
    const held: Buffer[] = [];
    const flush = () => {
      if (abandoned.has(from)) return;
      for (const chunk of held.splice(0)) if (!to.destroyed) to.write(chunk);
    };
    flushes.add(flush);
    from.on("data", (chunk: Buffer) =>
      paused || abandoned.has(from) ? held.push(chunk) : to.destroyed || to.write(chunk),
    );
    from.on("close", () => {
      flushes.delete(flush);
      to.destroy();
    });
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    pause: () => {
      paused = true;
    },
    resume: (opts = {}) => {
      if (opts.abandon) for (const s of sockets) abandoned.add(s);
      paused = false;
      for (const flush of flushes) flush();
    },
  };
}
