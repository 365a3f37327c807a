import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Names of dev mailbox files: the time written (sortable: newest last), 8 random hex digits, the kind's extension.
 * Nothing else is ever a message id, so the admin route can refuse any other name (no path traversal).
 */
export const MAILBOX_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{8}\.(eml|sms\.json)$/;

export type MailboxExtension = "eml" | "sms.json";

export function mailboxFileName(ext: MailboxExtension, at = new Date()): string {
  return `${at.toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.${ext}`;
}

/** Writes a message under a temporary name, then renames it, so a reader never sees half a message. */
export async function writeMailboxFile(dir: string, ext: MailboxExtension, content: string | Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = mailboxFileName(ext);
  const tmp = join(dir, `.${name}.tmp`);
  await writeFile(tmp, content);
  await rename(tmp, join(dir, name));
  return name;
}
