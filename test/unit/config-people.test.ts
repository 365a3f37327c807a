import { ConfigError, parseConfig } from "../../src/config/env";

describe("people settings in the environment", () => {
  it("defaults to the published rules, manual creation on, no SCIM entity mapping", () => {
    expect(parseConfig({})).toMatchObject({
      SSO_ONLY: false,
      ADMIN_USERNAME_POLICY: "first.last",
      ADMIN_NAME_MIN_LENGTH: 3,
      ADMIN_NAME_ALLOW_DIGITS: false,
      ADMIN_BATCH_MAX_LINES: 1000,
      SCIM_ENTITY_MAPPING: "none",
    });
    expect(
      parseConfig({ SSO_ONLY: "true", ADMIN_NAME_ALLOW_DIGITS: "1", SCIM_ENTITY_MAPPING: "organization" }),
    ).toMatchObject({
      SSO_ONLY: true,
      ADMIN_NAME_ALLOW_DIGITS: true,
      SCIM_ENTITY_MAPPING: "organization",
    });
  });

  it.each([
    ["SSO_ONLY", "maybe"],
    ["ADMIN_USERNAME_POLICY", "firstname"],
    ["ADMIN_BATCH_MAX_LINES", "0"],
    ["SCIM_ENTITY_MAPPING", "title"],
  ])("stops on a bad %s with one line naming it", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^Invalid environment variable ${name}:`));
  });
});
