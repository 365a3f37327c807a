import type { Router } from "express";
import type { DataSource } from "typeorm";
import type { Services } from "../../composition";
import { SSO_STATE_TTL_SECONDS } from "../../composition/sso";
import type { Config } from "../../config/env";
import type { CompleteSignIn } from "./complete-sign-in";
import { ssoRouter } from "./sso.routes";
import { signUpRouter } from "./sign-up.routes";

/** What a sign-in method's router (company SSO, self sign-up) is given by app.ts. */
export interface SignInMethodDeps {
  cfg: Config;
  ds: DataSource;
  services: Services;
  /** Ends the OpenID interaction once the person is known; records the success (see CompleteSignIn). */
  complete: CompleteSignIn;
}

/**
 * The routers of the sign-in methods besides the password form, each mounted by app.ts under /auth once the OpenID
 * Provider is built, and given its `complete`. Add a method's router here (company SSO, self sign-up).
 */
export function signInMethodRouters(d: SignInMethodDeps): Router[] {
  return [
    ssoRouter({
      sso: d.services.ssoSignIn,
      signIns: d.services.signIns,
      complete: d.complete,
      stateTtlSeconds: SSO_STATE_TTL_SECONDS,
      secureCookies: (d.cfg.PUBLIC_BASE_URL ?? "").startsWith("https:"),
    }),
    signUpRouter({
      signUp: d.services.signUp,
      signIns: d.services.signIns,
      ds: d.ds,
      perMinute: d.cfg.SIGNUP_RATE_LIMIT_PER_MINUTE,
    }),
  ];
}
