import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { assertPublicTarget, isPublicAddress, outboundFetch, PrivateTargetError } from "../../src/net/outbound-target";

describe("outbound targets (SSRF guard for admin-typed URLs)", () => {
  it.each([
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["::1", false],
    ["fe80::1", false],
    ["fd00::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:8.8.8.8", true],
    ["8.8.8.8", true],
    ["2001:4860:4860::8888", true],
    ["not-an-ip", false],
  ])("%s is public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it("refuses loopback, private and link-local hosts and http:// unless private targets are allowed", async () => {
    for (const url of [
      "https://127.0.0.1/hook",
      "https://localhost/hook",
      "https://[::1]/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.5/",
      "http://8.8.8.8/",
      "ftp://8.8.8.8/",
      "not a url",
    ]) {
      await expect(assertPublicTarget(url, false)).rejects.toBeInstanceOf(PrivateTargetError);
    }
    await expect(assertPublicTarget("https://8.8.8.8/", false)).resolves.toBeInstanceOf(URL);
    await expect(assertPublicTarget("http://127.0.0.1:9/", true)).resolves.toBeInstanceOf(URL);
  });

  describe("outboundFetch against a loopback server", () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === "/redirect") {
          res.writeHead(302, { location: "/target" }).end();
        } else if (req.url === "/slow") {
          // never answers: the attempt must end by its own timeout
        } else res.end("ok");
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it("is refused without the switch, and reaches it with ALLOW_PRIVATE_TARGETS", async () => {
      await expect(outboundFetch(`${base}/`, {}, { allowPrivate: false, timeoutMs: 1000 })).rejects.toBeInstanceOf(
        PrivateTargetError,
      );
      const res = await outboundFetch(`${base}/`, {}, { allowPrivate: true, timeoutMs: 1000 });
      expect(await res.text()).toBe("ok");
    });

    it("does not follow redirects and bounds each attempt", async () => {
      const res = await outboundFetch(`${base}/redirect`, {}, { allowPrivate: true, timeoutMs: 1000 });
      expect(res.status).toBe(302);
      await expect(outboundFetch(`${base}/slow`, {}, { allowPrivate: true, timeoutMs: 200 })).rejects.toThrow();
    });
  });
});
