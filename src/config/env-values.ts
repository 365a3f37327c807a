import { isIP } from "node:net";
import { z } from "zod";

// The settings' value types that are more than a number, a string or a flag (the schema in src/config/env.ts uses them).

/** Milliseconds in one of each unit a duration may be written in. */
const MS_PER_UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `24h`, `90m`, `30s`, `1d` or plain seconds (as TTLs usually are), parsed to milliseconds. */
export function duration() {
  return z
    .string()
    .regex(/^\d+(ms|s|m|h|d)?$/, "a duration such as 24h, 90m, 3600s or a number of seconds")
    .transform((v) => {
      const [, n, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(v)!;
      return Number(n) * MS_PER_UNIT[unit ?? "s"];
    })
    .pipe(
      z
        .number()
        .int()
        .min(60_000, "at least one minute")
        .max(30 * 86_400_000, "at most 30 days"),
    );
}

/** Comma-separated durations (`5s,30s,2m,1h`; ms, s, m, h, d), in milliseconds: a retry schedule. */
export function durationList() {
  return z
    .string()
    .regex(/^\d+(ms|s|m|h|d)(,\d+(ms|s|m|h|d))*$/, "comma-separated durations such as 5s,30s,2m,1h,1d")
    .transform((v) =>
      v.split(",").map((d) => {
        const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(d)!;
        return Number(n) * MS_PER_UNIT[unit];
      }),
    )
    .pipe(
      z
        .array(
          z
            .number()
            .int()
            .min(10)
            .max(7 * 86_400_000),
        )
        .max(50),
    );
}

/**
 * Express's `trust proxy`: false (the socket's peer is the client), a number of proxy hops, or a comma-separated list of
 * addresses, subnets (CIDR) and the names loopback, linklocal, uniquelocal. Checked here so a typo stops the start.
 */
export function trustProxy() {
  const names = new Set(["loopback", "linklocal", "uniquelocal"]);
  const entry = (e: string) => {
    const [ip, bits, extra] = e.split("/");
    const family = isIP(ip);
    return (
      names.has(e) ||
      (family !== 0 &&
        extra === undefined &&
        (bits === undefined || (/^\d{1,3}$/.test(bits) && +bits <= (family === 4 ? 32 : 128))))
    );
  };
  return z.string().transform((v, ctx): false | number | string => {
    const s = v.trim();
    if (s === "false") return false;
    if (/^\d{1,2}$/.test(s)) return Number(s);
    if (
      s
        .split(",")
        .map((e) => e.trim())
        .every(entry)
    )
      return s;
    ctx.addIssue({
      code: "custom",
      message:
        "false, a number of proxy hops, or addresses/subnets (CIDR) and loopback|linklocal|uniquelocal, comma-separated",
    });
    return z.NEVER;
  });
}
