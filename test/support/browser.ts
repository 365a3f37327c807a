/**
 * A browser for sign-in flows across servers (Roster, a company IdP, a platform client): real HTTP with a cookie jar
 * per host, redirects followed by hand so each hop is visible. No JavaScript, like the pages require.
 */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  readonly hops: Hop[] = [];

  /** GETs `url` and follows redirects (up to `max`) until a page answers; its status, final URL and body. */
  async follow(url: string, max = 20, stopAt?: string): Promise<{ status: number; url: string; body: string }> {
    let current = url;
    for (let i = 0; i < max; i++) {
      // a redirect to `stopAt` (a platform client's redirect URI) is where the flow leaves the servers under test
      if (stopAt && current.startsWith(stopAt)) return { status: 0, url: current, body: "" };
      const res = await this.request(current, { method: "GET" });
      const location = res.headers.get("location");
      this.hops.push({ url: current, status: res.status, location });
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        await res.arrayBuffer();
        continue;
      }
      return { status: res.status, url: current, body: await res.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** One GET, no redirect followed: the hop. */
  async step(url: string): Promise<Hop> {
    const res = await this.request(url, { method: "GET" });
    await res.arrayBuffer();
    const hop = { url, status: res.status, location: res.headers.get("location") };
    this.hops.push(hop);
    return hop;
  }

  /** Submits a form (POST urlencoded) and follows where it leads. */
  async submit(url: string, fields: Record<string, string>): Promise<{ status: number; url: string; body: string }> {
    const res = await this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const location = res.headers.get("location");
    this.hops.push({ url, status: res.status, location });
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      return this.follow(new URL(location, url).href);
    }
    return { status: res.status, url, body: await res.text() };
  }

  /** The cookies this browser holds for `url`'s host. */
  cookies(url: string): Map<string, string> {
    return this.jar.get(new URL(url).host) ?? new Map();
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const host = new URL(url).host;
    const cookies = [...(this.jar.get(host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), ...(cookies ? { cookie: cookies } : {}) },
    });
    for (const line of res.headers.getSetCookie()) this.keep(host, line);
    return res;
  }

  // Paths are ignored (one jar per host): enough for these flows, whose cookies do not clash by name.
  private keep(host: string, line: string): void {
    const [pair, ...attrs] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const jar = this.jar.get(host) ?? new Map<string, string>();
    const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
    if (expired || value === "") jar.delete(name);
    else jar.set(name, value);
    this.jar.set(host, jar);
  }
}
