import { personBody } from "../support/admin-fixtures";
import { startMailingApp, type TestApp } from "../support/app";
import { setCommunication } from "../support/delivery";
import { buildScimUser } from "../support/factories";
import { eventually } from "../support/people";
import type { SmtpSink } from "../support/smtp-sink";

/** Invitation mail in the person's language (en, fr), through the real worker to a real SMTP server. */
let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({ PLATFORM_NAME: "Plateforme Test" }));
});
afterAll(async () => t.close());

const mailTo = (to: string) =>
  eventually(async () => sink.mails.find((m) => m.to.includes(to.toLowerCase())) ?? null, 10_000, `mail to ${to}`).then(
    (m) => m!,
  );

describe("the invitation's language", () => {
  it("a French person (admin-created, language fr) gets the French mail: Content-Language fr, French subject, text and HTML", async () => {
    const body = personBody({ language: "fr", givenName: "Amélie", familyName: "Poulain", invite: "now" });
    await t.admin.post("/users", body).expect(201);
    const mail = await mailTo(String(body.email));
    expect(mail.language).toBe("fr");
    expect(mail.subject).toBe("Vous êtes invité·e à rejoindre Plateforme Test");
    expect(mail.text).toContain("Bonjour Amélie,");
    expect(mail.text).toContain("Un compte a été créé pour vous sur Plateforme Test.");
    expect(mail.html).toContain(`<html lang="fr">`);
    expect(mail.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("an IdP's fr-CA person in Europe/Paris gets French, with the expiry in Paris time", async () => {
    await setCommunication(t, { autoInvite: { scim: true } });
    const body = buildScimUser({ preferredLanguage: "fr-CA", timezone: "Europe/Paris" });
    const id = (await t.scim.post("/Users", body).expect(201)).body.id;
    const mail = await mailTo(String(body.userName));
    expect(mail.language).toBe("fr");
    const inv = await eventually(
      async () => {
        const r = await t.admin.get(`/users/${id}/invitation`).expect(200);
        return r.body.status === "pending" ? r.body : null;
      },
      10_000,
      "invitation pending",
    );
    const paris = new Intl.DateTimeFormat("fr", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Europe/Paris",
    }).format(new Date(inv.expiresAt));
    expect(mail.text).toContain(paris);
    expect(mail.text).toMatch(/expire le .+ UTC\+[12]/);
  });

  it("someone whose language is unknown or unsupported gets the default (en)", async () => {
    const body = personBody({ language: "de" });
    const created = (await t.admin.post("/users", { ...body, invite: "now" }).expect(201)).body;
    const mail = await mailTo(created.email);
    expect(mail.language).toBe("en");
    expect(mail.subject).toBe("You are invited to join Plateforme Test");
  });
});
