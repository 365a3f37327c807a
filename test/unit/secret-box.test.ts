import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyEncryptionSecret, secretBoxFor } from "../../src/config/key-encryption";
import { SecretBox } from "../../src/domain/secret-box";

describe("SecretBox (AES-256-GCM, purpose bound)", () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it("opens what it sealed, and seals the same text differently each time", () => {
    const a = box.seal("client-secret", "sso.client_secret");
    expect(a).toMatch(/^v1\./);
    expect(a).not.toContain("client-secret");
    expect(box.seal("client-secret", "sso.client_secret")).not.toBe(a);
    expect(box.open(a, "sso.client_secret")).toBe("client-secret");
  });

  it("refuses a value sealed for another purpose, by another key, or tampered with", () => {
    const a = box.seal("x", "one");
    expect(() => box.open(a, "two")).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(a, "one")).toThrow();
    const parts = a.split(".");
    const body = Buffer.from(parts[2], "base64url");
    body[0] ^= 1; // one bit of the ciphertext flipped: the tag no longer matches
    parts[2] = body.toString("base64url");
    expect(() => box.open(parts.join("."), "one")).toThrow();
    expect(() => box.open("plain", "one")).toThrow("not a sealed value");
  });

  it("refuses a master secret shorter than 32 bytes", () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow();
  });
});

describe("key-encryption secret", () => {
  it("uses KEY_ENCRYPTION_SECRET when set", () => {
    const secret = "s".repeat(40);
    expect(keyEncryptionSecret({ KEY_ENCRYPTION_SECRET: secret, DATA_DIR: "/nonexistent" }).toString()).toBe(secret);
  });

  it("generates one file once (mode 0600) and reads it back on later starts", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "roster-kek-")), "data");
    const first = keyEncryptionSecret({ DATA_DIR: dir });
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, "key-encryption.secret")).mode & 0o777).toBe(0o600);
    expect(keyEncryptionSecret({ DATA_DIR: dir }).equals(first)).toBe(true);
    const sealed = secretBoxFor({ DATA_DIR: dir }).seal("v", "p");
    expect(secretBoxFor({ DATA_DIR: dir }).open(sealed, "p")).toBe("v");
    expect(readFileSync(join(dir, "key-encryption.secret"), "utf8").trim()).toBe(first.toString("base64url"));
  });
});
