import type { Router } from "express";
import type { Services } from "../../composition";
import type { Config } from "../../config/env";
import { homePage } from "./home.page";
import { settingsPage } from "./settings/settings.page";
import { ssoPage } from "./sso/sso.page";
import { tokensPage } from "./tokens/tokens.page";
import { webhooksPage } from "./webhooks/webhooks.page";

/** What every console page router is given: the services (the same ones the admin API calls) and the configuration. */
export interface ConsolePageDeps {
  services: Services;
  cfg: Config;
}

/** A console page (or a group of pages): a router mounted under /console, after the session and CSRF checks. */
export type ConsolePage = (d: ConsolePageDeps) => Router;

/** Every page of the console. A page file presents; the domain decides (the same use cases as /admin/v1). */
export const CONSOLE_PAGES: readonly ConsolePage[] = [homePage, tokensPage, webhooksPage, settingsPage, ssoPage];
