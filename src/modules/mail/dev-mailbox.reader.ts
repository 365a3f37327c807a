import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { type AddressObject, simpleParser } from "mailparser";
import { MAILBOX_ID } from "./mailbox-files";

/** One message of the dev mailbox as the admin listing shows it. */
export interface MailboxEntry {
  /** The file name: its id in the routes. */
  id: string;
  kind: "email" | "sms";
  to: string[];
  subject: string | null;
  date: string;
  /** The invitation link found in it, if any. */
  link: string | null;
}

export interface MailboxPage {
  items: MailboxEntry[];
  nextCursor: string | null;
}

/**
 * Reads what DevMailbox and DevSmsProvider wrote under DATA_DIR/mail (the embedded default, no SMTP_URL): newest first,
 * paged by file name (names start with the time written, so a cursor is the last id of a page). Only names matching
 * MAILBOX_ID are ever opened. Mail is parsed with mailparser: subjects are RFC 2047 encoded and bodies quoted-printable,
 * which wraps long links.
 */
export class DevMailboxReader {
  constructor(
    readonly dir: string,
    private readonly findLink: (text: string) => string | null,
  ) {}

  async list(limit: number, before: string | null): Promise<MailboxPage> {
    const names = (await this.names()).filter((n) => before === null || n < before);
    const page = names.slice(0, limit);
    const items = await Promise.all(page.map((id) => this.entry(id)));
    return {
      items: items.filter((i): i is MailboxEntry => i !== null),
      nextCursor: names.length > limit ? page[page.length - 1] : null,
    };
  }

  /** The raw message (.eml as written, SMS as its JSON), or null when there is no such message. */
  async read(id: string): Promise<{ kind: "email" | "sms"; content: Buffer } | null> {
    if (!MAILBOX_ID.test(id)) return null;
    const content = await readFile(join(this.dir, id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return null;
      throw e;
    });
    return content ? { kind: kindOf(id), content } : null;
  }

  /** Message names, newest first (an absent directory is an empty mailbox). */
  private async names(): Promise<string[]> {
    const all = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return [] as string[];
      throw e;
    });
    return all
      .filter((n) => MAILBOX_ID.test(n))
      .sort()
      .reverse();
  }

  private async entry(id: string): Promise<MailboxEntry | null> {
    const raw = await this.read(id);
    if (!raw) return null; // pruned by hand meanwhile
    const written = id.slice(0, 24).replace(/^(.{13})-(..)-(..)-(...)Z$/, "$1:$2:$3.$4Z");
    if (raw.kind === "sms") {
      const sms = parseSms(raw.content);
      return {
        id,
        kind: "sms",
        to: sms.to ? [sms.to] : [],
        subject: null,
        date: sms.at ?? written,
        link: this.findLink(sms.text ?? ""),
      };
    }
    const mail = await simpleParser(raw.content, {
      skipHtmlToText: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
    });
    return {
      id,
      kind: "email",
      to: addresses(mail.to),
      subject: mail.subject ?? null,
      date: (mail.date ?? new Date(written)).toISOString(),
      link: this.findLink(mail.text ?? ""),
    };
  }
}

const kindOf = (id: string): "email" | "sms" => (id.endsWith(".eml") ? "email" : "sms");

function addresses(to: AddressObject | AddressObject[] | undefined): string[] {
  return ([] as AddressObject[])
    .concat(to ?? [])
    .flatMap((a) => a.value.map((v) => v.address ?? ""))
    .filter(Boolean);
}

/** A .sms.json file; one edited by hand into something else lists with what it still has. */
function parseSms(content: Buffer): { to?: string; text?: string; at?: string } {
  try {
    const v = JSON.parse(content.toString("utf8")) as Record<string, unknown>;
    const str = (x: unknown) => (typeof x === "string" ? x : undefined);
    return { to: str(v?.to), text: str(v?.text), at: str(v?.at) };
  } catch {
    return {};
  }
}
