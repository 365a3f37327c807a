/**
 * The console pages `npm run screenshots` pictures, in this order, each written to docs/console/<name>.png (1280x800)
 * and shown in the README. A `{key}` in a path is an id the seed made (console-screenshot-seed.ts: person, job,
 * staged, import, webhook, entity); `language` is the console language the page is shown in (English otherwise).
 * Add a page here when it lands; a path that does not answer 200 is skipped with a warning.
 */
export interface ConsoleScreenshot {
  name: string;
  path: string;
  /** What the README says the picture shows. */
  caption: string;
  language?: "en" | "fr";
}

export const CONSOLE_SCREENSHOTS: readonly ConsoleScreenshot[] = [
  { name: "home", path: "/console", caption: "Home, signed in as an admin" },
  { name: "people", path: "/console/people?connection=never", caption: "People, filtered on never connected" },
  { name: "person", path: "/console/people/{person}", caption: "A person's page" },
  { name: "add-person", path: "/console/people/new", caption: "Add a person" },
  { name: "add-several", path: "/console/people/batch", caption: "Add several people" },
  { name: "job", path: "/console/jobs/{job}", caption: "A mass invitation's progress" },
  { name: "import-upload", path: "/console/imports", caption: "Import: upload and past imports" },
  { name: "import-mapping", path: "/console/imports/{staged}/mapping", caption: "Import: a drop-down per column" },
  { name: "import-report", path: "/console/imports/{import}", caption: "Import: a finished run and its report" },
  { name: "entities", path: "/console/entities", caption: "Entities (the tree)" },
  { name: "entity", path: "/console/entities/{entity}", caption: "An entity: rename, move" },
  { name: "groups", path: "/console/groups", caption: "Groups" },
  { name: "sso", path: "/console/sso", caption: "Company SSO connections" },
  { name: "tokens", path: "/console/tokens", caption: "API tokens with their last use" },
  { name: "webhooks", path: "/console/webhooks", caption: "Webhooks" },
  { name: "webhook", path: "/console/webhooks/{webhook}", caption: "A webhook and its deliveries" },
  { name: "settings", path: "/console/settings", caption: "Settings" },
  { name: "audit-log", path: "/console/audit", caption: "Audit log" },
  { name: "people-fr", path: "/console/people?account=active", caption: "People, in French", language: "fr" },
];
