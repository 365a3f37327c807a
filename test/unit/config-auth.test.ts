import { ConfigError, parseConfig } from "../../src/config/env";

describe("auth settings in the environment", () => {
  it("defaults to 12-character passwords of score 3, 20 requests a minute, and no trusted proxy", () => {
    expect(parseConfig({})).toMatchObject({
      PASSWORD_MIN_LENGTH: 12,
      PASSWORD_MIN_SCORE: 3,
      AUTH_RATE_LIMIT_PER_MINUTE: 20,
      TRUST_PROXY: false,
    });
    expect(parseConfig({ PASSWORD_MIN_SCORE: "4" }).PASSWORD_MIN_SCORE).toBe(4);
  });

  it("takes TRUST_PROXY as false, a hop count, or addresses, subnets and express's names", () => {
    expect(parseConfig({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ TRUST_PROXY: "10.0.0.0/8, loopback,fd00::/8,192.168.1.4" }).TRUST_PROXY).toBe(
      "10.0.0.0/8, loopback,fd00::/8,192.168.1.4",
    );
  });

  it.each([
    ["PASSWORD_MIN_LENGTH", "7"],
    ["PASSWORD_MIN_LENGTH", "129"],
    ["PASSWORD_MIN_SCORE", "0"],
    ["PASSWORD_MIN_SCORE", "5"],
    ["AUTH_RATE_LIMIT_PER_MINUTE", "0"],
    ["TRUST_PROXY", "yes"],
    ["TRUST_PROXY", "10.0.0.0/8/2"],
    ["TRUST_PROXY", "10.0.0.300"],
    ["TRUST_PROXY", "10.0.0.0/33"],
    ["TRUST_PROXY", "true"],
  ])("stops on a bad %s (%s) with one line naming it", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^Invalid environment variable ${name}:`));
  });
});
