import { type LookupAddress, type LookupAllOptions, type LookupOneOptions, lookup } from "node:dns";
import { promises as dns } from "node:dns";
import ipaddr from "ipaddr.js";
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from "undici";

/**
 * Every outbound call Roster makes to an address an admin typed (a webhook receiver, a company IdP, a back-channel
 * logout URI) goes through here, so that such a URL cannot reach Roster's own network (SSRF). Only public unicast
 * addresses and https are allowed; `ALLOW_PRIVATE_TARGETS=true` (tests, closed networks) lifts both. The address is
 * checked again when the socket connects (the agent's lookup), so a name that resolves differently the second time
 * (DNS rebinding) is refused too. Redirects are never followed: a 3xx is the answer.
 */
export class PrivateTargetError extends Error {
  readonly code = "private_target";
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`${target}: ${reason}`);
  }
}

/** True for a public unicast address (IPv4-mapped IPv6 judged as the IPv4 it carries). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === "unicast";
}

/** Refuses a URL that is not https, or whose host is, or resolves to, anything but public addresses. */
export async function assertPublicTarget(target: string | URL, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new PrivateTargetError(String(target), "not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new PrivateTargetError(url.href, "not http(s)");
  if (allowPrivate) return url;
  if (url.protocol !== "https:") throw new PrivateTargetError(url.href, "only https targets are allowed");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = ipaddr.isValid(host) ? [host] : await resolveAll(url.href, host);
  const blocked = addresses.find((a) => !isPublicAddress(a));
  if (blocked) throw new PrivateTargetError(url.href, `resolves to a non-public address (${blocked})`);
  return url;
}

async function resolveAll(target: string, host: string): Promise<string[]> {
  try {
    const found = await dns.lookup(host, { all: true, verbatim: true });
    if (found.length === 0) throw new PrivateTargetError(target, "does not resolve");
    return found.map((a) => a.address);
  } catch (e) {
    if (e instanceof PrivateTargetError) throw e;
    throw new PrivateTargetError(target, `does not resolve (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails for non-public addresses: used at connect time by the outbound agent. */
export function publicOnlyLookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: LookupCallback,
): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const blocked = list.find((a) => !isPublicAddress(a.address));
    if (blocked || list.length === 0) {
      const refused = Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: "EPRIVATE" });
      return callback(refused, []);
    }
    if ((options as LookupAllOptions).all) return callback(null, list);
    return callback(null, list[0].address, list[0].family);
  });
}

const guardedAgent = new Agent({ connect: { lookup: publicOnlyLookup as never } });
const openAgent = new Agent();

export interface OutboundOptions {
  allowPrivate: boolean;
  /** Whole attempt, connect to last byte. */
  timeoutMs: number;
}

/** fetch for admin-typed URLs: checked target, no redirects followed, bounded time. */
export async function outboundFetch(target: string | URL, init: RequestInit, o: OutboundOptions): Promise<Response> {
  const url = await assertPublicTarget(target, o.allowPrivate);
  return undiciFetch(url, {
    ...init,
    redirect: "manual",
    signal: init.signal ?? AbortSignal.timeout(o.timeoutMs),
    dispatcher: o.allowPrivate ? openAgent : guardedAgent,
  });
}
