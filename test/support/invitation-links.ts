import request from "supertest";
import { personBody } from "./admin-fixtures";
import type { TestApp } from "./app";
import { eventually } from "./people";
import type { ReceivedMail, SmtpSink } from "./smtp-sink";

/** The `n`-th mail (1-based) the sink received for `address`, waiting for it to arrive. */
export function mailTo(sink: SmtpSink, address: string, n = 1): Promise<ReceivedMail> {
  return eventually(
    async () => sink.mails.filter((m) => m.to.includes(address))[n - 1] ?? null,
    10_000,
    `mail #${n} to ${address}`,
  );
}

/** Creates a person invited at once (admin door), waits for their mail, and gives back their link's token. */
export async function invitedPerson(
  t: TestApp,
  sink: SmtpSink,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; userName: string; email: string; token: string; mail: ReceivedMail }> {
  const body = personBody(extra);
  const res = await t.admin.post("/users", { ...body, invite: "now" });
  if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
  const mail = await mailTo(sink, body.email as string);
  if (!mail.token) throw new Error(`no link in the mail to ${String(body.email)}`);
  return { id: res.body.id, userName: res.body.userName, email: body.email as string, token: mail.token, mail };
}

/** Clients for the end-user door (no bearer token: the link or the password is the credential). */
export function authClient(t: TestApp) {
  const json = (r: request.Test, body: unknown) => r.set("Content-Type", "application/json").send(JSON.stringify(body));
  return {
    link: (token: string) => request(t.app).get(`/auth/invitations/${token}`),
    accept: (token: string, password: unknown) => json(request(t.app).post(`/auth/invitations/${token}`), { password }),
    login: (login: string, password: string) => json(request(t.app).post("/auth/login"), { login, password }),
    changePassword: (login: string, currentPassword: string, newPassword: string) =>
      json(request(t.app).post("/auth/password"), { login, currentPassword, newPassword }),
  };
}
