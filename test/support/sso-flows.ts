import { randomUUID } from "node:crypto";
import { Browser } from "./browser";
import type { IdpAccount } from "./company-idp";
import type { SsoHarness } from "./sso-harness";

/** What the SSO sign-in tests do against a harness: provision people, press a button, read links and refusals. */
export function ssoFlows(h: () => SsoHarness) {
  /** A SCIM-provisioned person (the real SCIM door); their id. */
  const provision = async (email: string, externalId?: string, active = true): Promise<string> => {
    const res = await h()
      .t.scim.post("/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: email,
        externalId,
        active,
        name: { givenName: "Grace", familyName: "Hopper" },
        emails: [{ value: email, type: "work", primary: true }],
      })
      .expect(201);
    return res.body.id;
  };

  const account = (claims: Partial<IdpAccount> = {}): IdpAccount => ({
    sub: `sub-${randomUUID()}`,
    email: `${randomUUID().slice(0, 8)}@corp.example`,
    email_verified: true,
    given_name: "Grace",
    family_name: "Hopper",
    ...claims,
  });

  /** A browser pressing the connection's button for a fresh interaction, signed in at the IdP as `who`. */
  const signIn = async (connectionId: string, who: IdpAccount) => {
    h().idp.signInAs(who);
    const browser = new Browser();
    const uid = randomUUID().replaceAll("-", "");
    const end = await browser.follow(`${h().base}/auth/sso/${connectionId}/start?interaction=${uid}`);
    const json = end.body.startsWith("{") ? (JSON.parse(end.body) as { uid: string; accountId: string }) : null;
    const code = /id="access-error-code">([a-z_]+)</.exec(end.body)?.[1] ?? null;
    return { ...end, uid, signedInAs: json?.accountId ?? null, code, browser };
  };

  const links = async (userId: string) =>
    (await h().t.ds.query("SELECT issuer, subject, linked_by FROM sso_links WHERE user_id = $1", [userId])) as {
      subject: string;
      linked_by: string;
    }[];

  const refusals = async (code: string) =>
    (await h().t.ds.query(
      "SELECT door, changes FROM audit_events WHERE action = 'sign_in.refused' AND changes->>'code' = $1",
      [code],
    )) as { door: string; changes: Record<string, unknown> }[];

  return { provision, account, signIn, links, refusals };
}
