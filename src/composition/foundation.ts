import type { DataSource } from "typeorm";
import type { Config } from "../config/env";
import { secretBoxFor } from "../config/key-encryption";
import type { Clock } from "../domain/clock";
import { EntitiesRepository } from "../domain/entities/entities.repository";
import { InvitationsRepository } from "../domain/invitations/invitations.repository";
import type { SecretBox } from "../domain/secret-box";
import { CredentialsRepository } from "../domain/users/credentials.repository";
import { UsersRepository } from "../domain/users/users.repository";

/**
 * The repositories other folders read through, built first, once each, and handed to the services that use them
 * (a domain folder builds only its own: test/unit/domain-layers.test.ts).
 */
export interface Repositories {
  entities: EntitiesRepository;
  users: UsersRepository;
  credentials: CredentialsRepository;
  invitations: InvitationsRepository;
}

/** What every area builder is given: the database, the config, the clock, the shared repositories and the one box. */
export interface Foundation {
  ds: DataSource;
  cfg: Config;
  clock: Clock;
  repositories: Repositories;
  /** The one sealed-secret box: the provider's keys and clients, webhook secrets, SSO secrets, console cookies. */
  box: SecretBox;
}

export function buildFoundation(ds: DataSource, cfg: Config, clock: Clock): Foundation {
  return {
    ds,
    cfg,
    clock,
    repositories: {
      entities: new EntitiesRepository(),
      users: new UsersRepository(),
      credentials: new CredentialsRepository(),
      invitations: new InvitationsRepository(),
    },
    box: secretBoxFor(cfg),
  };
}
