/**
 * The console pages `npm run screenshots` pictures, in this order, each written to docs/console/<name>.png (1280x800)
 * and shown in the README. Add a page here when it lands; a path that does not answer 200 is skipped with a warning.
 */
export const CONSOLE_SCREENSHOTS: readonly { name: string; path: string }[] = [
  { name: "home", path: "/console" },
  { name: "people", path: "/console/people" },
  { name: "add-person", path: "/console/people/new" },
  { name: "add-several", path: "/console/people/batch" },
  { name: "entities", path: "/console/entities" },
  { name: "groups", path: "/console/groups" },
  { name: "audit-log", path: "/console/audit" },
];
