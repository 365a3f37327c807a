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
   * Whether `profile` can be written with no userName to make (the one given, checked, or the email address): false
   * when the policy makes first.last from names. Sets the given userName on `profile`.
   */
  keepsUserName(profile: UserProfile, userName: string | undefined): boolean {
    if (userName !== undefined) {
      profile.userName = checkUserName(this.s.policy, userName);
      return true;
    }
    return !(this.s.policy.userNames === "first.last" && (profile.name.givenName || profile.name.familyName));
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
