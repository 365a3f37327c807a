import request from "supertest";
import { startMailingApp, type TestApp } from "../support/app";
import { invitedPerson } from "../support/invitation-links";
import type { SmtpSink } from "../support/smtp-sink";

// The page a browser gets behind the invitation link: the whole flow without the platform's own page.
let t: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  ({ t, sink } = await startMailingApp({ AUTH_RATE_LIMIT_PER_MINUTE: "100000", PLATFORM_NAME: "Acme <Hub>" }));
});
afterAll(async () => t.close());

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const open = (token: string) => request(t.app).get(`/auth/invitations/${token}`).set("Accept", BROWSER);
const submit = (token: string, form: Record<string, string>) =>
  request(t.app).post(`/auth/invitations/${token}`).set("Accept", BROWSER).type("form").send(form);

describe("the invitation page", () => {
  it("shows a form to a browser, escaped, with a strict CSP; a script asking for anything still gets JSON", async () => {
    const p = await invitedPerson(t, sink, { givenName: "<b>Ada</b>", familyName: "Lovelace" });
    const page = await open(p.token)
      .expect(200)
      .expect("Content-Type", /text\/html/);
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.text).toContain('<form method="post">');
    expect(page.text).toContain("Hello &lt;b&gt;Ada&lt;/b&gt;");
    expect(page.text).toContain("Join Acme &lt;Hub&gt;");
    expect(page.text).not.toContain("<b>Ada</b>");
    const json = await request(t.app).get(`/auth/invitations/${p.token}`).set("Accept", "*/*").expect(200);
    expect(json.body.valid).toBe(true);
  });

  it("sets the password from the form: two different entries or a weak one re-show the form and change nothing", async () => {
    const p = await invitedPerson(t, sink);
    const differ = await submit(p.token, {
      password: "violet-harbour-41-tram",
      confirmation: "violet-harbour-41-train",
    }).expect(400);
    expect(differ.text).toContain("The two passwords are not the same.");
    const weak = await submit(p.token, { password: "short", confirmation: "short" }).expect(400);
    expect(weak.text).toContain("at least 12 characters");
    expect(weak.text).toContain('<form method="post">');
    const guessable = await submit(p.token, { password: "iloveyou1234", confirmation: "iloveyou1234" }).expect(400);
    expect(guessable.text).toContain("password is too easy to guess: This is similar to a commonly used password.");
    const [before] = await t.ds.query("SELECT enrolled_at, password_hash FROM users WHERE id = $1", [p.id]);
    expect(before).toEqual({ enrolled_at: null, password_hash: null });

    const done = await submit(p.token, {
      password: "violet-harbour-41-tram",
      confirmation: "violet-harbour-41-tram",
    }).expect(200);
    expect(done.text).toContain("Your password is set");
    expect(done.text).toContain(p.userName);
    const [after] = await t.ds.query("SELECT enrolled_at, password_hash FROM users WHERE id = $1", [p.id]);
    expect(after.enrolled_at).toBeInstanceOf(Date);
    expect(after.password_hash).toMatch(/^scrypt\$/);

    const used = await open(p.token)
      .expect(410)
      .expect("Content-Type", /text\/html/);
    expect(used.text).toContain("already been used");
    await submit(p.token, { password: "another-fine-passphrase", confirmation: "another-fine-passphrase" }).expect(410);
  });

  it("speaks the person's language", async () => {
    const p = await invitedPerson(t, sink, { givenName: "Marie", familyName: "Curie", language: "fr" });
    const page = await open(p.token).expect(200).expect("Content-Language", "fr");
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain("Bonjour Marie, choisissez un mot de passe pour rejoindre Acme &lt;Hub&gt;.");
    const differ = await submit(p.token, {
      password: "violet-harbour-41-tram",
      confirmation: "autre-chose-encore-41",
    }).expect(400);
    expect(differ.text).toContain("Les deux mots de passe ne sont pas identiques.");
    const done = await submit(p.token, {
      password: "violet-harbour-41-tram",
      confirmation: "violet-harbour-41-tram",
    }).expect(200);
    expect(done.text).toContain("Votre mot de passe est enregistré");
  });

  it("answers an unknown link with the same 404 as the JSON door", async () => {
    const res = await open("A".repeat(43))
      .expect(404)
      .expect("Content-Type", /text\/html/);
    expect(res.text).toContain("This link cannot be used");
  });
});
