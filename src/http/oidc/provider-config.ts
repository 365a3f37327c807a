import type { Services } from "../../composition";
import type { SigningJwk } from "../../domain/oidc/oidc-keys.service";
import type { User } from "../../domain/users/user";
import { escapeHtml, renderPage } from "../auth/html-page";
import { pgAdapter } from "./pg-adapter";
import { signInPolicy } from "./provider-types";

/** Token and session lifetimes (seconds). A retired key stays published longer than the longest token it signs. */
export const TTL = {
  AccessToken: 3600,
  IdToken: 3600,
  AuthorizationCode: 60,
  Interaction: 3600,
  Session: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
  RefreshToken: 14 * 24 * 3600,
} as const;

/** Where the provider answers: discovery at the issuer's /.well-known, everything else under /oidc. */
export const ROUTES = {
  authorization: "/oidc/auth",
  token: "/oidc/token",
  jwks: "/oidc/jwks",
  userinfo: "/oidc/me",
  end_session: "/oidc/session/end",
  revocation: "/oidc/token/revocation",
  pushed_authorization_request: "/oidc/request",
  code_verification: "/oidc/device",
  device_authorization: "/oidc/device/auth",
  backchannel_authentication: "/oidc/backchannel",
  introspection: "/oidc/token/introspection",
  registration: "/oidc/reg",
} as const;

const primaryEmail = (u: User) => (u.emails.find((e) => e.primary) ?? u.emails[0])?.value ?? null;

/** The person behind a session or token, only while live and active: a deactivated person is refused at every step. */
async function findAccount(services: Services, id: string) {
  let user: User;
  try {
    user = await services.users.get(id);
  } catch {
    return undefined;
  }
  if (!user.active) return undefined;
  return {
    accountId: user.id,
    claims: async () => ({
      sub: user.id,
      preferred_username: user.userName,
      email: primaryEmail(user) ?? undefined,
      name: user.displayName ?? ([user.name?.givenName, user.name?.familyName].filter(Boolean).join(" ") || undefined),
      given_name: user.name?.givenName ?? undefined,
      family_name: user.name?.familyName ?? undefined,
      locale: user.preferredLanguage ?? undefined,
    }),
  };
}

interface Ctx {
  oidc: {
    client: { clientId: string };
    session: { accountId?: string; grantIdFor(clientId: string, value?: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    requestParamScopes: Set<string>;
    requestParamClaims: Set<string>;
    provider: {
      Grant: {
        new (init: { clientId: string; accountId: string }): GrantLike;
        find(id: string): Promise<GrantLike | undefined>;
      };
    };
  };
  body: string;
  type: string;
  host: string;
}
interface GrantLike {
  accountId?: string;
  addOIDCScope(s: string): void;
  addOIDCClaims(c: string[]): void;
  save(): Promise<string>;
}

/**
 * Platform clients are first-party: the person is never asked to consent. Whatever the client asks for (scopes,
 * claims) is granted, on the session's grant for that client or a new one.
 */
async function grantEverythingAsked(ctx: Ctx): Promise<GrantLike | undefined> {
  const { client, session } = ctx.oidc;
  if (!session.accountId) return undefined;
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
  if (grant && grant.accountId !== session.accountId) grant = undefined;
  grant ??= new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(" "));
  if (ctx.oidc.requestParamClaims.size) grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
  const id = await grant.save();
  session.grantIdFor(client.clientId, id);
  return grant;
}

/** oidc-provider's configuration (decision 0110); `keys` are the published keys, the signing key first. */
export function providerConfiguration(services: Services, keys: SigningJwk[], cookieKeys: string[]) {
  return {
    adapter: pgAdapter(services.oidcState, services.oidcClients),
    findAccount: (_ctx: unknown, id: string) => findAccount(services, id),
    jwks: { keys },
    cookies: { keys: cookieKeys },
    claims: {
      openid: ["sub"],
      email: ["email"],
      profile: ["name", "given_name", "family_name", "preferred_username", "locale"],
    },
    scopes: ["openid", "offline_access", "email", "profile"],
    routes: ROUTES,
    ttl: TTL,
    pkce: { required: () => true },
    loadExistingGrant: grantEverythingAsked,
    interactions: {
      policy: signInPolicy(),
      url: (_ctx: unknown, interaction: { uid: string }) => `/auth/sign-in/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: Ctx, form: string) => {
          ctx.body = renderPage({
            language: "en",
            title: "Sign out",
            body: `${form}<p>Sign out of ${escapeHtml(ctx.host)}? / Se déconnecter ?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out / Se déconnecter</button>
<button type="submit" form="op.logoutForm" class="button secondary">Stay signed in / Rester connecté</button>`,
          });
        },
        postLogoutSuccessSource: async (ctx: Ctx) => {
          ctx.body = renderPage({ language: "en", title: "Signed out / Déconnecté", body: "" });
        },
      },
    },
    renderError: async (ctx: Ctx, out: Record<string, string>) => {
      ctx.type = "html";
      ctx.body = renderPage({
        language: "en",
        title: "Sign-in request refused / Demande refusée",
        body: `<p class="error" role="alert"><code>${escapeHtml(out.error)}</code> ${escapeHtml(out.error_description)}</p>`,
      });
    },
  };
}
