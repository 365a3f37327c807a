import type { Router } from "express";
import type { Services } from "../../composition";
import type { Config } from "../../config/env";
import { auditPage } from "./audit/audit.page";
import { entitiesPage } from "./entities/entities.page";
import { groupsPage } from "./groups/groups.page";
import { homePage } from "./home.page";
import { addPersonPage } from "./people/add-person.page";
import { addSeveralPage } from "./people/add-several.page";
import { jobProgressPage } from "./people/job-progress.page";
import { massActionsPage } from "./people/mass-actions.page";
import { peopleListPage } from "./people/people-list.page";
import { personEditPage } from "./people/person-edit.page";
import { personPage } from "./people/person.page";
import { importPages } from "./imports";
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
// Order matters where paths overlap: /people/new and /people/batch before /people/{id}; the list and its
// mass actions (/people, /people/actions) before /people/{id} too.
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  homePage,
  peopleListPage,
  massActionsPage,
  jobProgressPage,
  addPersonPage,
  addSeveralPage,
  personPage,
  personEditPage,
  entitiesPage,
  groupsPage,
  auditPage,
  importPages,
  tokensPage,
  webhooksPage,
  settingsPage,
  ssoPage,
];
