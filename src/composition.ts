import type { DataSource } from "typeorm";
import type { Config } from "./config/env";
import { type Clock, systemClock } from "./domain/clock";
import type { SecretBox } from "./domain/secret-box";
import { type AccessServices, buildAccess } from "./composition/access";
import { type AuthServices, buildAuth } from "./composition/auth";
import { type ConsoleServices, buildConsole } from "./composition/console";
import { type EventsServices, buildEvents } from "./composition/events";
import { buildFoundation } from "./composition/foundation";
import { type ImportsServices, buildImports } from "./composition/imports";
import { type PeopleServices, buildPeople } from "./composition/people";
import { type SsoServices, buildSso } from "./composition/sso";

/**
 * Every service of a process, built once by createServices; the doors, the worker and the CLI take theirs from here.
 * Each area's services are listed (and built) in src/composition/<area>.ts.
 */
export interface Services
  extends AccessServices,
    PeopleServices,
    EventsServices,
    AuthServices,
    SsoServices,
    ImportsServices,
    ConsoleServices {
  clock: Clock;
  /** The one sealed-secret box; the console seals what it keeps in a cookie with it. */
  box: SecretBox;
}

/**
 * The composition root: builds every service once, each after what it is given, by constructor only (no setters).
 * That is the layer order of src/domain/layers.ts, area by area (src/composition/): access and settings first, then
 * identity and people (UsersService is given its hooks into groups/ and invitations/, built before it), then what
 * builds on them. The repositories other folders read through are built first, once each (src/composition/foundation.ts),
 * and handed to the services that use them.
 */
export function createServices(ds: DataSource, cfg: Config, clock: Clock = systemClock): Services {
  const base = buildFoundation(ds, cfg, clock);
  const access = buildAccess(base);
  const people = buildPeople(base, access);
  const auth = buildAuth(base, people);
  return {
    clock,
    box: base.box,
    ...access,
    ...people,
    ...buildEvents(base, people),
    ...auth,
    ...buildSso(base, { ...people, settings: access.settings }),
    ...buildImports(base, { ...people, credentials: auth.credentials }),
    ...buildConsole(base),
  };
}
