// A manual create under the policy: the new person's checks, and the userName the policy makes (first.last).
import { ConflictError } from "../errors";
import { type User, type UserAccount, type UserProfile, emptyProfile } from "../users/user";
import type { CreateOptions } from "../users/users-create";
import type { UsersService } from "../users/users.service";
import {
  checkEmail,
  checkLanguage,
  checkName,
  checkUserName,
  firstLastBase,
  userNameCandidates,
} from "./manual-policy.rules";
import type { NewPerson } from "./person";
import { applyChanges } from "./person.rules";
import type { PeopleSettings } from "./people.service";

/** How many first.last candidates are checked per round trip. */
const WINDOW = 20;

/** PeopleService's manual creates: what the manual policy makes of a new person before UsersService writes it. */
export class ManualCreation {
  constructor(
    private readonly users: Pick<UsersService, "takenUserNames">,
    private readonly s: PeopleSettings,
  ) {}

  /** The manual policy's checks of a new person: their profile, account and create options. */
  prepare(p: NewPerson): { profile: UserProfile; account: UserAccount; opts: CreateOptions } {
    const email = checkEmail(p.email);
    const later = p.namesAtJoining === true && !p.givenName?.trim() && !p.familyName?.trim();
    const givenName = later ? null : checkName(this.s.policy, "givenName", p.givenName);
    const familyName = later ? null : checkName(this.s.policy, "familyName", p.familyName);
    const profile = applyChanges(emptyProfile(email), {
      ...p.details,
      givenName: givenName ?? undefined,
      familyName: familyName ?? undefined,
      email,
      language: checkLanguage(p.language ?? null),
    });
    const account: UserAccount = {
      entityId: p.entityId ?? null,
      systemRole: p.role ?? "member",
      adminScope: p.adminScope ?? [],
      external: p.external ?? false,
    };
    return { profile, account, opts: { invite: p.invite === true, uniqueEmail: true } };
  }

  /** Writes with the userName given, else the one the policy makes (first.last: the first free one). */
  named(
    profile: UserProfile,
    opts: CreateOptions,
    userName: string | undefined,
    write: (p: UserProfile, o: CreateOptions) => Promise<User>,
  ): Promise<User> {
    if (userName !== undefined) profile.userName = checkUserName(this.s.policy, userName);
    // Names left for joining: the userName is the email address (emptyProfile's), nothing to make first.last from.
    else if (this.s.policy.userNames === "first.last" && (profile.name.givenName || profile.name.familyName))
      return this.createNamed(profile, opts, write);
    return write(profile, opts);
  }

  /**
   * The userNames of many new people at once (an import's batch): the one given (checked), the email address (names
   * left for joining), or first.last, the first free of every base read in ONE lookup, two people of the batch never
   * given the same. Sets it on each profile; false for a person left to `named` (no free one in the window, or a check
   * failed: `named` says why).
   */
  async nameMany(items: { profile: UserProfile; userName: string | undefined }[]): Promise<boolean[]> {
    const bases = items.map(({ profile, userName }) => {
      if (userName !== undefined || this.s.policy.userNames !== "first.last") return null;
      if (!profile.name.givenName && !profile.name.familyName) return null;
      try {
        return firstLastBase(profile.name.givenName, profile.name.familyName);
      } catch {
        return undefined;
      }
    });
    // First each base alone (a batch of new names: one probe each), then the window only of the bases taken or wanted
    // twice: 20 candidates for every person made each batch's lookup 20 times larger than needed.
    const count = new Map<string, number>();
    for (const b of bases) if (typeof b === "string") count.set(b, (count.get(b) ?? 0) + 1);
    const wanted = [...count.keys()];
    const taken = wanted.length ? await this.users.takenUserNames(wanted) : new Set<string>();
    const crowded = wanted.filter((b) => taken.has(b) || count.get(b)! > 1);
    if (crowded.length)
      for (const t of await this.users.takenUserNames(crowded.flatMap((b) => userNameCandidates(b, 2, WINDOW - 1))))
        taken.add(t);
    return items.map(({ profile, userName }, i) => {
      const base = bases[i];
      if (base === undefined) return false;
      if (base === null) {
        if (userName === undefined) return true;
        try {
          profile.userName = checkUserName(this.s.policy, userName);
          return true;
        } catch {
          return false;
        }
      }
      const free = userNameCandidates(base, 1, WINDOW).find((c) => !taken.has(c));
      if (free === undefined) return false;
      taken.add(free); // the next person of the batch with the same names gets the next one
      profile.userName = free;
      return true;
    });
  }

  /** Policy first.last: the first free of first.last, first.last2, ... (names held by removed accounts count as taken). */
  private async createNamed(
    profile: UserProfile,
    opts: CreateOptions,
    write: (p: UserProfile, o: CreateOptions) => Promise<User>,
  ): Promise<User> {
    const base = firstLastBase(profile.name.givenName, profile.name.familyName);
    let from = 1;
    while (from < 10_000) {
      const candidates = userNameCandidates(base, from, WINDOW);
      const taken = await this.users.takenUserNames(candidates);
      const free = candidates.findIndex((c) => !taken.has(c));
      if (free < 0) {
        from += WINDOW;
        continue;
      }
      try {
        return await write({ ...profile, userName: candidates[free] }, { ...opts, restoreRemoved: false });
      } catch (e) {
        if (!(e instanceof ConflictError && e.field === "userName")) throw e;
        from += free + 1; // taken meanwhile by a concurrent create: try the next one
      }
    }
    throw new ConflictError("userName", `no free userName from '${base}': give one`);
  }
}
