import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomUUID } from "node:crypto";

/** A text message provider. Adapters for real providers (Twilio, Vonage...) implement this. */
export interface SmsProvider {
  readonly kind: string;
  send(to: string, text: string): Promise<void>;
}

/** The default: each SMS is written as a .sms.json file in the dev mailbox (DATA_DIR/mail) instead of leaving the machine. */
export class DevSmsProvider implements SmsProvider {
  readonly kind = "dev";

  constructor(readonly dir: string) {}

  async send(to: string, text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.sms.json`;
    const tmp = join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, JSON.stringify({ to, text, at: new Date().toISOString() }, null, 2));
    await rename(tmp, join(this.dir, name));
  }
}

export function createSmsProvider(kind: "dev", dataDir: string): SmsProvider {
  switch (kind) {
    case "dev":
      return new DevSmsProvider(join(dataDir, "mail"));
  }
}
