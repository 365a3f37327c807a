import { languageOf } from "../../src/domain/language";
import { type InvitationContent, invitationEmail, invitationSms } from "../../src/modules/invitations/templates";
import { invitationLinks } from "../../src/modules/invitations/links";

const LINK = "https://id.acme.test/auth/invitations/AbC_dEf-0123456789abcdefghijklmnopqrstuvwxy";
const content = (extra: Partial<InvitationContent> = {}): InvitationContent => ({
  platform: "Acme Hub",
  givenName: "Ada",
  link: LINK,
  expiresAt: new Date("2026-03-15T10:00:00Z"),
  timezone: null,
  space: null,
  language: "en",
  ...extra,
});

describe("languageOf: the person's language from preferredLanguage, then locale, else the default", () => {
  it.each([
    ["fr", null, "fr"],
    ["fr-CA", null, "fr"],
    ["fr_FR", null, "fr"],
    ["FR", null, "fr"],
    ["en-GB", null, "en"],
    ["de", null, "default"],
    [null, "fr-BE", "fr"],
    ["de", "fr_CH", "fr"],
    [null, null, "default"],
    ["", " ", "default"],
    ["french", null, "default"],
  ] as const)("preferred %p, locale %p -> %s", (preferred, locale, expected) => {
    // The default is whichever language the platform configured (DEFAULT_LANGUAGE).
    for (const fallback of ["en", "fr"] as const) {
      expect(languageOf(preferred, locale, fallback)).toBe(expected === "default" ? fallback : expected);
    }
  });
});

describe("the invitation email", () => {
  it("in English: platform name, greeting, the link in text and HTML, and the expiry in UTC when no timezone is known", () => {
    const m = invitationEmail(content());
    expect(m.subject).toBe("You are invited to join Acme Hub");
    expect(m.text).toContain("Hello Ada,");
    expect(m.text).toContain("An account has been created for you on Acme Hub.");
    expect(m.text).toContain(`\n${LINK}\n`);
    expect(m.text).toMatch(/expires on March 15, 2026(,| at) 10:00 (AM )?UTC/);
    expect(m.html).toContain(`<html lang="en">`);
    expect(m.html).toContain(`href="${LINK}"`);
    expect(m.html).toContain("Set my password");
  });

  it("in French: the French texts, and the expiry in the person's timezone", () => {
    const m = invitationEmail(content({ language: "fr", timezone: "Europe/Paris" }));
    expect(m.subject).toBe("Vous êtes invité·e à rejoindre Acme Hub");
    expect(m.text).toContain("Bonjour Ada,");
    expect(m.text).toContain("Un compte a été créé pour vous sur Acme Hub.");
    expect(m.text).toContain("Choisissez votre mot de passe pour nous rejoindre :");
    // 10:00 UTC is 11:00 in Paris in March (CET).
    expect(m.text).toMatch(/expire le 15 mars 2026( à)? 11:00 UTC\+1/);
    expect(m.html).toContain(`<html lang="fr">`);
    expect(m.html).toContain("Choisir mon mot de passe");
  });

  it("names the space an external person is invited into, in the subject and the body, in both languages", () => {
    const en = invitationEmail(content({ space: "Partners & Co" }));
    expect(en.subject).toBe("You are invited to Partners & Co on Acme Hub");
    expect(en.text).toContain(`You have been invited to join the space "Partners & Co" on Acme Hub.`);
    expect(en.html).toContain("the space &quot;Partners &amp; Co&quot; on Acme Hub");
    const fr = invitationEmail(content({ space: "Partenaires", language: "fr" }));
    expect(fr.subject).toBe("Vous êtes invité·e dans Partenaires sur Acme Hub");
    expect(fr.text).toContain("rejoindre l'espace « Partenaires » sur Acme Hub.");
  });

  it("escapes every inserted value in the HTML (a givenName, a space, the platform), not in the text", () => {
    const m = invitationEmail(
      content({ givenName: "<script>alert(1)</script>", space: "<b>x</b>", platform: `Acme "Hub"` }),
    );
    expect(m.html).not.toContain("<script>");
    expect(m.html).not.toContain("<b>x</b>");
    expect(m.html).toContain("Hello &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(m.html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(m.html).toContain("Acme &quot;Hub&quot;");
    expect(m.text).toContain("Hello <script>alert(1)</script>,");
    const fr = invitationEmail(content({ language: "fr", givenName: "<script>" }));
    expect(fr.html).toContain("Bonjour &lt;script&gt;,");
    expect(fr.html).not.toContain("<script>");
  });

  it("greets without a name when none is known; an unknown timezone falls back to UTC", () => {
    const m = invitationEmail(content({ givenName: null, timezone: "Mars/Olympus_Mons" }));
    expect(m.text.startsWith("Hello,\n")).toBe(true);
    expect(m.text).toMatch(/10:00 (AM )?UTC/);
  });
});

describe("the invitation SMS", () => {
  it("carries the platform, the link, the expiry, and the space when there is one, in the person's language", () => {
    expect(invitationSms(content())).toMatch(
      /^Acme Hub: you are invited to join\. Set your password: \S+ \(valid until .+\)$/,
    );
    expect(invitationSms(content())).toContain(LINK);
    expect(invitationSms(content({ space: "Partners" }))).toContain(`invited to the space "Partners"`);
    const fr = invitationSms(content({ language: "fr", space: "Partenaires" }));
    expect(fr).toContain("Acme Hub : vous êtes invité·e dans l'espace « Partenaires ».");
    expect(fr).toContain("valable jusqu'au 15 mars 2026");
  });
});

describe("invitation links", () => {
  const token = "AbC_dEf-0123456789abcdefghijklmnopqrstuvwxy";
  it("default to PUBLIC_BASE_URL/auth/invitations/<token>, and are found again in a message's text", () => {
    const links = invitationLinks({
      PUBLIC_BASE_URL: "https://id.acme.test/",
      HOST: "127.0.0.1",
      PORT: 8080,
      INVITE_LINK_TEMPLATE: undefined,
    });
    expect(links.linkFor(token)).toBe(LINK);
    expect(links.find(`Set your password:\n\n${LINK}\n\nThis link...`)).toBe(LINK);
    expect(links.find("no link here https://id.acme.test/auth/other")).toBeNull();
  });

  it("follow INVITE_LINK_TEMPLATE (regex characters in it are plain)", () => {
    const links = invitationLinks({
      PUBLIC_BASE_URL: undefined,
      HOST: "127.0.0.1",
      PORT: 8080,
      INVITE_LINK_TEMPLATE: "https://app.test/join?t={token}&from=mail",
    });
    const link = links.linkFor(token);
    expect(link).toBe(`https://app.test/join?t=${token}&from=mail`);
    expect(links.find(`go to ${link} now`)).toBe(link);
    expect(links.find(`go to https://app.test/joinXt=${token}&from=mail`)).toBeNull();
  });
});
