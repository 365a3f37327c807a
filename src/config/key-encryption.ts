import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { SecretBox } from "../domain/secret-box";

/**
 * The one key-encryption secret every sealed column uses (src/domain/secret-box.ts). `KEY_ENCRYPTION_SECRET` (at least
 * 32 characters) when set: every replica must share it. Unset, a random one is made once in
 * `DATA_DIR/key-encryption.secret` (mode 0600) and read back on later starts: right for one machine and the embedded
 * database; replicas on several machines must set the variable, and losing the file makes sealed values unreadable.
 */
export function keyEncryptionSecret(env: { KEY_ENCRYPTION_SECRET?: string; DATA_DIR: string }): Buffer {
  if (env.KEY_ENCRYPTION_SECRET !== undefined) return Buffer.from(env.KEY_ENCRYPTION_SECRET, "utf8");
  const file = join(env.DATA_DIR, "key-encryption.secret");
  try {
    return Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(env.DATA_DIR, { recursive: true });
  // written whole under a private name, then linked into place: when two processes start at once, one link wins and
  // the other reads the winner's complete file, never a half-written one
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    unlinkSync(draft);
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
}

export const secretBoxFor = (env: { KEY_ENCRYPTION_SECRET?: string; DATA_DIR: string }): SecretBox =>
  new SecretBox(keyEncryptionSecret(env));
