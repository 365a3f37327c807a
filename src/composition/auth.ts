import { AdminInviteService } from "../domain/auth/admin-invite.service";
import { CredentialsService } from "../domain/auth/credentials.service";
import { EnrolmentService } from "../domain/auth/enrolment.service";
import { PasswordSignInService } from "../domain/auth/password-sign-in.service";
import type { InvitationsService } from "../domain/invitations/invitations.service";
import { OidcClientsService } from "../domain/oidc/oidc-clients.service";
import { OidcKeysService } from "../domain/oidc/oidc-keys.service";
import { OidcStateService } from "../domain/oidc/oidc-state.service";
import type { PeopleService } from "../domain/people/people.service";
import type { UsersService } from "../domain/users/users.service";
import type { Foundation } from "./foundation";

/**
 * How long a retired signing key stays published: the longest lifetime of a token it signed (the provider's ID and
 * access tokens live an hour: src/http/oidc/provider-config.ts), with a margin for clock skew and caches.
 */
const OIDC_KEY_VERIFY_SECONDS = 2 * 3600;

/** Passwords and invitation links (auth), and the OpenID Provider (oidc). */
export interface AuthServices {
  // oidc: the OpenID Provider's signing keys, platform clients and state (sessions, grants, tokens)
  oidcKeys: OidcKeysService;
  oidcClients: OidcClientsService;
  oidcState: OidcStateService;
  // auth: joining through an invitation link; passwords (sign-in, change, one-time)
  enrolment: EnrolmentService;
  credentials: CredentialsService;
  /** Password sign-in on the OpenID Provider's page (one-time passwords changed before it finishes). */
  passwordSignIn: PasswordSignInService;
  /** `roster admin invite`: an admin created or promoted, handed a one-time set-password link. */
  adminInvites: AdminInviteService;
}

export function buildAuth(
  { ds, cfg, clock, repositories, box }: Foundation,
  given: { users: UsersService; people: PeopleService; invitations: InvitationsService },
): AuthServices {
  // what every password use case is told: the same policy for setting, changing and signing in
  const passwords = {
    clock,
    policy: { minLength: cfg.PASSWORD_MIN_LENGTH, minScore: cfg.PASSWORD_MIN_SCORE },
    ssoOnly: cfg.SSO_ONLY,
  };
  const credentials = new CredentialsService(
    ds,
    repositories.credentials,
    repositories.users,
    repositories.invitations,
    passwords,
  );
  return {
    oidcKeys: new OidcKeysService(ds, box, OIDC_KEY_VERIFY_SECONDS),
    oidcClients: new OidcClientsService(ds, box),
    oidcState: new OidcStateService(ds),
    enrolment: new EnrolmentService(ds, repositories.invitations, repositories.users, repositories.credentials, {
      ...passwords,
      defaultLanguage: cfg.DEFAULT_LANGUAGE,
      platformName: cfg.PLATFORM_NAME,
    }),
    credentials,
    passwordSignIn: new PasswordSignInService(
      ds,
      credentials,
      repositories.credentials,
      repositories.invitations,
      passwords,
    ),
    adminInvites: new AdminInviteService(ds, given.users, given.people, given.invitations, { ssoOnly: cfg.SSO_ONLY }),
  };
}
