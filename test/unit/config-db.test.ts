import { ConfigError, parseConfig } from "../../src/config/env";

describe("database wait bounds in the configuration", () => {
  it("has defaults that answer a stall within a few seconds", () => {
    expect(parseConfig({})).toMatchObject({
      DB_CONNECT_TIMEOUT_MS: 5000,
      DB_STATEMENT_TIMEOUT_MS: 5000,
      DB_LOCK_TIMEOUT_MS: 3000,
      DB_QUERY_TIMEOUT_MS: 6000,
    });
  });

  it("accepts 0 (no bound) for the statement, lock and reply waits", () => {
    expect(
      parseConfig({ DB_STATEMENT_TIMEOUT_MS: "0", DB_LOCK_TIMEOUT_MS: "0", DB_QUERY_TIMEOUT_MS: "0" }),
    ).toMatchObject({ DB_STATEMENT_TIMEOUT_MS: 0, DB_QUERY_TIMEOUT_MS: 0 });
  });

  it("refuses a reply wait not longer than the statement's, naming the variable", () => {
    expect(() => parseConfig({ DB_STATEMENT_TIMEOUT_MS: "5000", DB_QUERY_TIMEOUT_MS: "5000" })).toThrow(ConfigError);
    expect(() => parseConfig({ DB_STATEMENT_TIMEOUT_MS: "5000", DB_QUERY_TIMEOUT_MS: "5000" })).toThrow(
      /DB_QUERY_TIMEOUT_MS: must be longer than DB_STATEMENT_TIMEOUT_MS/,
    );
  });

  it("refuses a connection wait of 0 or a word", () => {
    expect(() => parseConfig({ DB_CONNECT_TIMEOUT_MS: "0" })).toThrow(/DB_CONNECT_TIMEOUT_MS/);
    expect(() => parseConfig({ DB_LOCK_TIMEOUT_MS: "soon" })).toThrow(/DB_LOCK_TIMEOUT_MS/);
  });
});
