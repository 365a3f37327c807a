import type { DataSource } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import { ConflictError, RefusedError } from "../errors";
import type { InvitationsService } from "../invitations/invitations.service";
import { checkEmail } from "../people/manual-policy.rules";
import type { PeopleService } from "../people/people.service";
import { unitOfWork } from "../unit-of-work";
import type { User } from "../users/user";
import type { UsersService } from "../users/users.service";
import { assertPasswordsAllowed } from "./credentials.rules";

/** How long the printed link can be used: long enough to reach a browser, short for a password-setting secret. */
export const ADMIN_LINK_TTL_MS = 24 * 3600 * 1000;

/** What `roster admin invite` did: the person, whether they were created or given the admin role, and the link's secret. */
export interface AdminInvited {
  user: User;
  created: boolean;
  promoted: boolean;
  token: string;
  expiresAt: Date;
}

/**
 * The first admin of a fresh install (`roster admin invite EMAIL`, decision 0143): the person with that address is
 * created (names left for joining, as a pasted address) or promoted to admin of the whole organisation, and handed a
 * one-time set-password link, all in one transaction of the caller's door (the CLI's). Running it again revokes the
 * previous link and hands a fresh one.
 */
export class AdminInviteService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: Pick<UsersService, "liveMatching">,
    private readonly people: Pick<PeopleService, "createIn" | "changeIn">,
    private readonly invitations: Pick<InvitationsService, "handOverIn">,
    private readonly opts: { ssoOnly: boolean },
  ) {}

  async invite(ctx: Ctx, address: string): Promise<AdminInvited> {
    assertPasswordsAllowed(this.opts.ssoOnly);
    const email = checkEmail(address);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(ctx, email);
      } catch (e) {
        // Another invite of the same new address committed first: the second pass finds and promotes that person.
        if (!(e instanceof ConflictError) || attempt >= 2) throw e;
      }
    }
  }

  private async once(ctx: Ctx, email: string): Promise<AdminInvited> {
    const found = await this.users.liveMatching([email], [email]);
    if (found.length > 1) {
      throw new RefusedError(
        "ambiguous_person",
        "conflict",
        `${found.length} people have the address or userName ${email} (${found.map((u) => u.userName).join(", ")}): give each an address of their own first`,
      );
    }
    if (found[0] && !found[0].active) throw inactive(email);
    return unitOfWork(this.ds, ctx, async (tx) => {
      const { user, created, promoted } = found[0]
        ? await this.promoteIn(tx, found[0])
        : { user: await this.createIn(tx, email), created: true, promoted: true };
      return { user, created, promoted, ...(await this.invitations.handOverIn(tx, user, ADMIN_LINK_TTL_MS)) };
    });
  }

  /** Admin over the whole organisation (an admin limited to some entities is widened; an admin already stays one). */
  private async promoteIn(tx: TxCtx, seen: User): Promise<{ user: User; created: false; promoted: boolean }> {
    const { user, changed } = await this.people.changeIn(tx, seen.id, { role: "admin", adminScope: [] });
    if (!user.active) throw inactive(user.userName);
    return { user, created: false, promoted: changed };
  }

  /** A new person as a pasted address is made: the userName the manual policy gives, names asked for at joining. */
  private createIn(tx: TxCtx, email: string): Promise<User> {
    return this.people.createIn(tx, { email, role: "admin", adminScope: [], namesAtJoining: true }, false);
  }
}

const inactive = (who: string) =>
  new RefusedError(
    "user_inactive",
    "conflict",
    `${who} is deactivated: activate the account first (POST /admin/v1/users/{id}/activate, or at the IdP), then run this again`,
  );
