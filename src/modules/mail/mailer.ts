import { join } from "node:path";
import nodemailer, { type TransportOptions, type Transporter } from "nodemailer";
import { writeMailboxFile } from "./mailbox-files";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Language of the message (Content-Language). */
  language?: string;
}

/** Where mail goes: an SMTP server, or the dev mailbox when none is configured. */
export interface Mailer {
  readonly kind: "smtp" | "dev-mailbox";
  send(m: MailMessage): Promise<void>;
  close(): void;
}

/** The server refused the message for good (5xx): retrying will not help. */
export class MailRejectedError extends Error {}

/** Sends through nodemailer to SMTP_URL over a small pool of reused connections. */
export class SmtpMailer implements Mailer {
  readonly kind = "smtp";
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 5,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as TransportOptions);
  }

  async send(m: MailMessage): Promise<void> {
    try {
      await this.transport.sendMail(envelope(this.from, m));
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500) throw new MailRejectedError(`SMTP ${code}: ${(e as Error).message}`);
      throw e;
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * The embedded default: each message is written as an .eml file under `dir` (DATA_DIR/mail), for a newcomer to open
 * or to read through the admin route, instead of leaving the machine. Written to a temporary name, then renamed, so
 * a reader never sees half a message.
 */
export class DevMailbox implements Mailer {
  readonly kind = "dev-mailbox";
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });

  constructor(
    readonly dir: string,
    private readonly from: string,
  ) {}

  async send(m: MailMessage): Promise<void> {
    const info = await this.builder.sendMail(envelope(this.from, m));
    await writeMailboxFile(this.dir, "eml", info.message as Buffer);
  }

  close(): void {
    this.builder.close();
  }
}

function envelope(from: string, m: MailMessage) {
  return {
    from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: m.language ? { "Content-Language": m.language } : undefined,
  };
}

export function createMailer(smtpUrl: string | undefined, from: string, dataDir: string): Mailer {
  return smtpUrl ? new SmtpMailer(smtpUrl, from) : new DevMailbox(join(dataDir, "mail"), from);
}
