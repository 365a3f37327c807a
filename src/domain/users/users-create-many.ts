// Many new people written at once (an import's batch): the set-based twin of UserCreation.createIn.
import { randomUUID } from "node:crypto";
import type { TxCtx } from "../context";
import { DomainError } from "../errors";
import { writeInDerived } from "../unit-of-work";
import { type UserAccount, type UserProfile, type UserSource, pickProfile } from "./user";
import type { UserAccounts } from "./user-accounts";
import { lowerEmails } from "./users-create";
import { CREATE_MANY_EFFECTS } from "./users-create-many.sql";
import type { UsersRepository } from "./users.repository";
import { assertValidProfile } from "./users.rules";

export interface NewUser {
  profile: UserProfile;
  account: UserAccount;
}

/**
 * Creates in `tx` the people of `items` (their ids, in order) that can be created as they are, in a few statements
 * whatever their number: their addresses locked (sorted, as every email claim) and checked free in one statement each,
 * then ONE statement that inserts the users and writes, for each row it inserted, the user.created audit record and
 * feed event createEffects would give, built in SQL from the inserted row (CREATE_MANY_EFFECTS, decision 0153). No
 * invitation, no password, no restore of a removed account: an item that needs any of these, whose address is taken or
 * whose userName exists comes back null, for the caller's one-by-one path (which says why). A check that fails for an
 * item throws, as createIn would.
 */
export async function createManyIn(
  tx: TxCtx,
  repo: UsersRepository,
  accounts: UserAccounts,
  items: NewUser[],
  source: UserSource,
  sourceRef: string | null,
): Promise<(string | null)[]> {
  const out: (string | null)[] = items.map(() => null);
  if (items.length === 0) return out;
  const prepared: { at: number; id: string; profile: UserProfile; account: UserAccount }[] = [];
  for (const [at, item] of items.entries()) {
    try {
      const profile = pickProfile(item.profile);
      assertValidProfile(profile);
      const account = await accounts.accountFor(tx.manager, tx, null, item.account, profile, true);
      prepared.push({ at, id: randomUUID(), profile, account });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e; // the one-by-one path reports it
    }
  }
  const emails = [...new Set(prepared.flatMap((p) => lowerEmails(p.profile)))].sort();
  await repo.lockEmails(tx.manager, emails);
  const held = await repo.heldEmails(tx.manager, emails);
  const free = prepared.filter((p) => !lowerEmails(p.profile).some((e) => held.has(e)));
  if (free.length === 0) return out;
  const created = await writeInDerived<{ id: string }>(
    tx,
    repo.insertManyStatement(free, source, sourceRef),
    CREATE_MANY_EFFECTS,
  );
  const ids = new Set(created.map((r) => r.id));
  for (const p of free) if (ids.has(p.id)) out[p.at] = p.id;
  return out;
}
