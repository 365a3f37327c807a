import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The first /auth/invitations/<token> link in the text part, if any. */
  link: string | null;
  token: string | null;
  language: string | null;
  raw: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Resolves once `n` messages in total have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Answer the next messages to these recipients with this SMTP code (e.g. 550 refused, 451 try later). */
  refuse(recipient: string, code: number): void;
  /** Take this recipient's messages again (undoes `refuse`). */
  accept(recipient: string): void;
  /** Messages fully received (so counted in `mails`) whose "250 OK" the sender is still waiting for (`delayMs`). */
  unanswered(): number;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Wait this long after a message has arrived before answering 250 (a slow server: sends stay in flight). */
  delayMs?: number;
}

const LINK = /https?:\/\/\S+?\/auth\/invitations\/([A-Za-z0-9_-]{20,})/;

/** A real SMTP server (npm smtp-server) on 127.0.0.1, keeping every message it accepts, parsed. */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let unanswered = 0;
  const refusals = new Map<string, number>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 1024 * 1024,
    onRcptTo(address, _session, cb) {
      const code = refusals.get(address.address.toLowerCase());
      if (code) return cb(Object.assign(new Error(`refused by the test (${code})`), { responseCode: code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = await simpleParser(raw);
        const text = parsed.text ?? "";
        const m = LINK.exec(text);
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? "",
          text,
          html: typeof parsed.html === "string" ? parsed.html : "",
          link: m?.[0] ?? null,
          token: m?.[1] ?? null,
          language: (parsed.headers.get("content-language") as string | undefined) ?? null,
          raw,
        });
        for (const w of [...waiters]) w();
        if (!opts.delayMs) return cb();
        unanswered++;
        setTimeout(() => {
          unanswered--;
          cb();
        }, opts.delayMs);
      });
    },
  });
  // A client killed mid-session (the kill -9 tests) resets its connection: smtp-server reports that as an 'error'
  // event, which without a listener would end the whole test file. The message it was sending is not kept, as for a
  // real SMTP server.
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    refuse: (recipient, code) => void refusals.set(recipient.toLowerCase(), code),
    accept: (recipient) => void refusals.delete(recipient.toLowerCase()),
    unanswered: () => unanswered,
    waitFor(n, timeoutMs = 10_000) {
      if (mails.length >= n) return Promise.resolve(mails.slice());
      return new Promise((resolve, reject) => {
        const check = () => {
          if (mails.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mails.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${n} mails, got ${mails.length} after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
