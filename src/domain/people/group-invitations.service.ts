import type { DataSource } from "typeorm";
import { assertMay } from "../users/person-access.rules";
import { inScope } from "../scope";
import type { Ctx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import type { GroupsService } from "../groups/groups.service";
import { checkEmail, namesFromEmail } from "./manual-policy.rules";
import type { PeopleService } from "./people.service";
import { unitOfWork } from "../unit-of-work";
import type { PersonView } from "./person";
import type { UsersRepository } from "../users/users.repository";
import type { InvitationView, InvitationsService } from "../invitations/invitations.service";

/** Someone an admin invites into a space (a group) by email. */
export interface SpaceInvite {
  email: string;
  givenName?: string | null;
  familyName?: string | null;
  language?: string | null;
  /** Where the new person is placed (an admin limited to some entities must name one of theirs). */
  entityId?: string | null;
}

/**
 * created: a new external person, member of the space, invited; invited: a person who had not joined yet, now a member
 * and sent a fresh invitation naming the space; added: a person who has joined, now a member (no invitation needed).
 */
export type SpaceInviteOutcome = "created" | "invited" | "added";

export interface SpaceInviteResult {
  outcome: SpaceInviteOutcome;
  membership: "added" | "already_member";
  group: { id: string; displayName: string };
  person: PersonView;
  invitation: InvitationView | null;
}

/**
 * Inviting people into a space by email, in one transaction: the group is locked first (groups, then users, as every
 * group write), then the address (the advisory lock manual creates take), so two invitations of one new address never
 * create two people: the second finds the first's person. A new address becomes an external person (the manual
 * policy applies, names read from a first.last address when none are given); an address a live person holds adds that
 * person. The invitation names the space, and asking for it revokes the person's earlier link.
 */
export class GroupInvitationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly people: PeopleService,
    private readonly groups: GroupsService,
    private readonly invitations: InvitationsService,
  ) {}

  async invite(ctx: Ctx, groupId: string, input: SpaceInvite): Promise<SpaceInviteResult> {
    const email = checkEmail(input.email);
    const result = await unitOfWork(this.ds, ctx, async (tx) => {
      const [group] = await this.groups.lockIn(tx, [groupId]);
      if (!group) throw new NotFoundError("Group", groupId);
      const space = { groupId: group.id, name: group.displayName };
      const g = { id: group.id, displayName: group.displayName };
      await this.users.lockEmails(tx.manager, [email.toLowerCase()]);
      const holder = await this.users.liveUserWithEmail(tx.manager, [email.toLowerCase()], null);
      if (!holder) {
        const derived = input.givenName == null && input.familyName == null ? namesFromEmail(email) : null;
        const person = {
          ...input,
          email,
          givenName: input.givenName ?? derived?.givenName,
          familyName: input.familyName ?? derived?.familyName,
          external: true,
          namesAtJoining: true,
        };
        const created = await this.people.createIn(tx, person, { space });
        await this.groups.changeMembersIn(tx, group, [{ op: "add", ids: [created.id] }]);
        const inv = await this.invitations.latestIn(tx, created.id);
        return {
          outcome: "created" as const,
          membership: "added" as const,
          group: g,
          userId: created.id,
          invitation: inv,
        };
      }
      const user = await this.users.lockById(tx.manager, holder.id);
      // Out of the actor's reach: the same answer as creating a person with a taken address.
      if (!user || user.removedAt || !inScope(ctx, user.account.entityId))
        throw new ConflictError("email", `email '${holder.email}' already belongs to another person`);
      assertMay(ctx, user.lifecycle.enrolledAt ? "memberships" : "invite", user, "email");
      const change = await this.groups.changeMembersIn(tx, group, [{ op: "add", ids: [user.id] }]);
      const membership = change.added?.includes(user.id) ? ("added" as const) : ("already_member" as const);
      if (user.lifecycle.enrolledAt)
        return { outcome: "added" as const, membership, group: g, userId: user.id, invitation: null };
      const inv = await this.invitations.requestIn(tx, user, { space });
      return { outcome: "invited" as const, membership, group: g, userId: user.id, invitation: inv };
    });
    const { userId, invitation, ...rest } = result;
    return {
      ...rest,
      person: await this.people.get(ctx, userId),
      invitation: invitation ? this.invitations.view(invitation) : null,
    };
  }
}
