import type { SettingsService } from "../../domain/settings/settings.service";
import type { SsoConnectionsService } from "../../domain/sso/sso-connections.service";
import type { SignInPageOptions } from "./sign-in-page-options";

const LABEL: Record<string, (name: string) => string> = {
  en: (name) => `Sign in with ${name}`,
  fr: (name) => `Se connecter avec ${name}`,
};

/**
 * What the sign-in page offers besides passwords: one button per enabled SSO connection (its href holds the
 * connection's id; the page adds `?interaction=<uid>`), and "Create an account" when the sign-up setting is on.
 */
export function signInOptions(connections: SsoConnectionsService, settings: SettingsService): SignInPageOptions {
  return {
    async ssoButtons(lang) {
      const label = LABEL[lang] ?? LABEL.en;
      return (await connections.buttons()).map((c) => ({
        id: c.id,
        label: label(c.name),
        href: `/auth/sso/${c.id}/start`,
      }));
    },
    async signUpEnabled() {
      return (await settings.signUpVersioned()).value.enabled;
    },
  };
}
