import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Secrets Roster must read back (signing keys, a company IdP's client secret, webhook signing secrets) are stored
 * sealed with AES-256-GCM: a random 96-bit nonce per value, the tag checked on open, and a purpose bound in as
 * associated data so a value sealed for one use cannot be swapped into another column. Text form:
 * `v1.<nonce>.<ciphertext>.<tag>` (base64url), so a sealed value is recognisable and the format can change later.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** `master` is the key-encryption secret (src/config/key-encryption.ts); the box key is derived from it. */
  constructor(master: Buffer) {
    if (master.length < 32) throw new Error("the key-encryption secret must have at least 32 bytes");
    this.key = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "roster secret-box v1", 32));
  }

  seal(plain: string, purpose: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    cipher.setAAD(Buffer.from(purpose, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const parts = [nonce, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
    return `v1.${parts.join(".")}`;
  }

  /** Throws when the value was not sealed by this key for this purpose (tampered, wrong key, wrong column). */
  open(sealed: string, purpose: string): string {
    const [version, nonce, body, tag] = sealed.split(".");
    if (version !== "v1" || nonce === undefined || body === undefined || tag === undefined) {
      throw new Error("not a sealed value");
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(nonce, "base64url"));
    decipher.setAAD(Buffer.from(purpose, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  }
}
