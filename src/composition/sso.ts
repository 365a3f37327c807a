import { hkdfSync } from "node:crypto";
import { keyEncryptionSecret } from "../config/key-encryption";
import type { EntitiesService } from "../domain/entities/entities.service";
import type { SettingsService } from "../domain/settings/settings.service";
import { SignUpService } from "../domain/sso/signup.service";
import { SsoAccounts } from "../domain/sso/sso-accounts";
import { SsoConnectionsService } from "../domain/sso/sso-connections.service";
import { SsoSignInService } from "../domain/sso/sso-sign-in.service";
import type { UsersService } from "../domain/users/users.service";
import { signInOptions } from "../http/auth/sign-in-options";
import type { SignInPageOptions } from "../http/auth/sign-in-page-options";
import { companyIdpClient } from "../net/company-idp.client";
import type { Foundation } from "./foundation";

/** How long a company SSO sign-in may stay at the IdP (its state, nonce and verifier are kept this long). */
export const SSO_STATE_TTL_SECONDS = 600;

/** Company SSO: connections, sign-in through a company's IdP, sign-up links, and what the sign-in page offers. */
export interface SsoServices {
  // sso: company SSO connections
  ssoConnections: SsoConnectionsService;
  ssoSignIn: SsoSignInService;
  signUp: SignUpService;
  /** What the sign-in page offers besides passwords (SSO buttons, "Create an account"); none until SSO supplies it. */
  signInPageOptions: SignInPageOptions;
}

export function buildSso(
  { ds, cfg, repositories, box }: Foundation,
  given: { users: UsersService; entities: EntitiesService; settings: SettingsService },
): SsoServices {
  const companyIdp = companyIdpClient({ allowPrivate: cfg.ALLOW_PRIVATE_TARGETS, timeoutMs: cfg.OUTBOUND_TIMEOUT_MS });
  const publicBase = (cfg.PUBLIC_BASE_URL ?? `http://${cfg.HOST}:${cfg.PORT}`).replace(/\/$/, "");
  const redirectUri = (id: string) => `${publicBase}/auth/sso/${id}/callback`;
  const ssoConnections = new SsoConnectionsService(ds, repositories.entities, companyIdp, box, { redirectUri });
  return {
    ssoConnections,
    ssoSignIn: new SsoSignInService(
      ds,
      new SsoAccounts(ds, given.users, repositories.users, repositories.entities),
      companyIdp,
      box,
      { redirectUri, stateTtlSeconds: SSO_STATE_TTL_SECONDS },
    ),
    signUp: new SignUpService(ds, given.users, repositories.entities, given.entities, given.settings, {
      ssoOnly: cfg.SSO_ONLY,
      linkKey: Buffer.from(hkdfSync("sha256", keyEncryptionSecret(cfg), Buffer.alloc(0), "roster signup-link v1", 32)),
      linkUrl: (token) => `${publicBase}/auth/sign-up?link=${encodeURIComponent(token)}`,
    }),
    signInPageOptions: signInOptions(ssoConnections, given.settings),
  };
}
