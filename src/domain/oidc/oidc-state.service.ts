import type { DataSource } from "typeorm";
import { withDb } from "../unit-of-work";
import { OidcPayloadsRepository, type StoredPayload } from "./oidc-payloads.repository";

/**
 * The provider's state (sessions, grants, codes, tokens, interactions) in `oidc_payloads`: what its adapter reads and
 * writes (src/http/oidc/pg-adapter.ts), ending a leaver's sessions, and pruning. Not audited: these are the provider's
 * working records; what people do is audited by the sign-in door (sign-in records) and the leave (deactivation).
 */
export class OidcStateService {
  private readonly repo = new OidcPayloadsRepository();

  constructor(private readonly ds: DataSource) {}

  upsert(model: string, id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
    return withDb(() => this.repo.upsert(this.ds.manager, model, id, payload, expiresIn));
  }

  find(model: string, by: "id" | "uid" | "user_code", value: string): Promise<StoredPayload | null> {
    return withDb(() => this.repo.find(this.ds.manager, model, by, value));
  }

  consume(model: string, id: string): Promise<void> {
    return withDb(() => this.repo.consume(this.ds.manager, model, id));
  }

  destroy(model: string, id: string): Promise<void> {
    return withDb(() => this.repo.destroy(this.ds.manager, model, id));
  }

  revokeByGrantId(grantId: string): Promise<void> {
    return withDb(() => this.repo.revokeByGrantId(this.ds.manager, grantId));
  }

  /** The clients a person signed in to, with the provider session ids, before their state is deleted. */
  grantsOf(accountId: string): Promise<{ clientId: string; sids: string[] }[]> {
    return withDb(() => this.repo.grantsOf(this.ds.manager, accountId));
  }

  /** Ends every session, grant, code and token of a person (a leaver): answers how many rows went. */
  endAccount(accountId: string): Promise<number> {
    return withDb(() => this.repo.deleteAccount(this.ds.manager, accountId));
  }

  pruneExpired(limit = 1000): Promise<number> {
    return withDb(() => this.repo.pruneExpired(this.ds.manager, limit));
  }
}
