import { ConfigError, parseConfig } from "../../src/config/env";

describe("INVITE_TTL", () => {
  it("is 24 hours by default and reads 24h, 90m, 3600s, 2d, 1500ms or a number of seconds", () => {
    expect(parseConfig({}).INVITE_TTL).toBe(86_400_000);
    expect(parseConfig({ INVITE_TTL: "24h" }).INVITE_TTL).toBe(86_400_000);
    expect(parseConfig({ INVITE_TTL: "90m" }).INVITE_TTL).toBe(5_400_000);
    expect(parseConfig({ INVITE_TTL: "3600s" }).INVITE_TTL).toBe(3_600_000);
    expect(parseConfig({ INVITE_TTL: "2d" }).INVITE_TTL).toBe(172_800_000);
    expect(parseConfig({ INVITE_TTL: "86400" }).INVITE_TTL).toBe(86_400_000);
    expect(parseConfig({ INVITE_TTL: "60000ms" }).INVITE_TTL).toBe(60_000);
  });

  it.each([
    ["1h30", "a duration such as 24h"],
    ["30s", "at least one minute"],
    ["31d", "at most 30 days"],
    ["-5m", "a duration such as 24h"],
  ])("refuses %s with one line naming the variable", (value, reason) => {
    expect(() => parseConfig({ INVITE_TTL: value })).toThrow(ConfigError);
    expect(() => parseConfig({ INVITE_TTL: value })).toThrow(
      new RegExp(`^Invalid environment variable INVITE_TTL: .*${reason}`),
    );
  });
});
