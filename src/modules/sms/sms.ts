import { join } from "node:path";
import { writeMailboxFile } from "../mail/mailbox-files";

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
    await writeMailboxFile(this.dir, "sms.json", JSON.stringify({ to, text, at: new Date().toISOString() }, null, 2));
  }
}

export function createSmsProvider(kind: "dev", dataDir: string): SmsProvider {
  switch (kind) {
    case "dev":
      return new DevSmsProvider(join(dataDir, "mail"));
  }
}
