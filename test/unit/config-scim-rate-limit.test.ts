import { ConfigError, parseConfig } from "../../src/config/env";

describe("SCIM_RATE_LIMIT_PER_MINUTE", () => {
  it("defaults to 6000 requests a minute per credential; 0 turns the limit off", () => {
    expect(parseConfig({}).SCIM_RATE_LIMIT_PER_MINUTE).toBe(6000);
    expect(parseConfig({ SCIM_RATE_LIMIT_PER_MINUTE: "0" }).SCIM_RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(
      parseConfig({ SCIM_RATE_LIMIT_PER_MINUTE: "5", SCIM_BULK_MAX_OPERATIONS: "5" }).SCIM_RATE_LIMIT_PER_MINUTE,
    ).toBe(5);
  });

  it.each([["-1"], ["1.5"], ["ten"], ["999"]])(
    "stops on %s with one line naming it (999: below SCIM_BULK_MAX_OPERATIONS, 1000)",
    (value) => {
      expect(() => parseConfig({ SCIM_RATE_LIMIT_PER_MINUTE: value })).toThrow(ConfigError);
      expect(() => parseConfig({ SCIM_RATE_LIMIT_PER_MINUTE: value })).toThrow(
        /^Invalid environment variable SCIM_RATE_LIMIT_PER_MINUTE:/,
      );
    },
  );
});
