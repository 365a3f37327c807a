/**
 * What the sign-in page offers besides the password form, supplied through the composition root: one button per company
 * SSO connection, and "Create an account" when self sign-up is on. Each button's `href` contains its connection's id;
 * the page adds the interaction uid to it as the query parameter `interaction` (and links "Create an account" to
 * `/auth/sign-up?interaction=<uid>`), so the method ends the same OpenID interaction through CompleteSignIn.
 */
export interface SignInPageOptions {
  /** The SSO buttons in the page's language (`en` or `fr`), in display order. */
  ssoButtons(lang: string): Promise<{ id: string; label: string; href: string }[]>;
  signUpEnabled(): Promise<boolean>;
}

/** No SSO connection and no self sign-up: the password form alone. */
export const noSignInOptions: SignInPageOptions = {
  ssoButtons: async () => [],
  signUpEnabled: async () => false,
};
