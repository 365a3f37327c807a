// An admin's change under the policy: the checks of what changes, and the fields the IdP keeps for a SCIM-managed person.
import { RefusedError } from "../errors";
import { type FieldOwnership, OWNED_FIELDS, type OwnedField, idpOwnedAmong } from "../users/field-ownership";
import type { User, UserAccount, UserWrite } from "../users/user";
import type { UsersService } from "../users/users.service";
import type { Mutation } from "../users/users-update";
import { profileOf } from "../users/user-rows";
import { checkEmail, checkLanguage, checkName, checkUserName } from "./manual-policy.rules";
import type { PeopleSettings } from "./people.service";
import type { LockedField, PersonChanges } from "./person";
import { applyChanges, idpOwnedChange } from "./person.rules";

/** PeopleService's changes: what the manual policy and the field ownership make of an admin's change to a person. */
export class ManualChanges {
  constructor(
    private readonly users: Pick<UsersService, "mappedEntity">,
    private readonly s: PeopleSettings,
    /** Who owns each profile field (the field-ownership setting, cached by settings/). */
    private readonly fieldOwnership: () => Promise<FieldOwnership>,
  ) {}

  /**
   * The mutation applying `c` to the current person; the fields the IdP owns are read now, before the caller's
   * transaction, and a change to one of them for a SCIM-managed person is refused by name.
   */
  async mutation(c: PersonChanges): Promise<Mutation> {
    const idpFields = idpOwnedAmong(await this.fieldOwnership(), OWNED_FIELDS);
    return (current) => this.changed(current, c, idpFields);
  }

  /**
   * The fields a change would refuse for this person, for a form to show locked with why: for a SCIM-managed person,
   * the IdP-owned ones (field ownership) and the entity when the IdP's mapped value places them.
   */
  async lockedFields(user: User): Promise<LockedField[]> {
    if (user.source !== "scim") return [];
    const owned: LockedField[] = idpOwnedAmong(await this.fieldOwnership(), OWNED_FIELDS).map((field) => ({
      field,
      why: "idp_owned",
    }));
    return (await this.users.mappedEntity(user)) ? [...owned, { field: "entityId", why: "entity_mapping" }] : owned;
  }

  /** What `c` makes of `current` under the manual policy; an IdP-owned field of a SCIM-managed person is refused. */
  private async changed(current: User, c: PersonChanges, idpFields: readonly OwnedField[]): Promise<UserWrite> {
    const owned = current.source === "scim" ? idpFields.find((f) => idpOwnedChange(current, f, c)) : undefined;
    if (owned) throw idpOwned(owned);
    if (
      current.source === "scim" &&
      c.entityId !== undefined &&
      c.entityId !== current.account.entityId &&
      (await this.users.mappedEntity(current))
    ) {
      throw idpOwned("entityId", "the entity follows the identity provider's value (SCIM_ENTITY_MAPPING)");
    }
    const checked: PersonChanges = { ...c };
    if (c.givenName !== undefined && c.givenName !== current.name.givenName)
      checked.givenName = checkName(this.s.policy, "givenName", c.givenName) ?? undefined;
    if (c.familyName !== undefined && c.familyName !== current.name.familyName)
      checked.familyName = checkName(this.s.policy, "familyName", c.familyName) ?? undefined;
    if (c.userName !== undefined && c.userName !== current.userName)
      checked.userName = checkUserName(this.s.policy, c.userName);
    if (c.email !== undefined) checked.email = checkEmail(c.email);
    if (c.language !== undefined) checked.language = checkLanguage(c.language);
    const role = c.role ?? current.account.systemRole;
    const account: UserAccount = {
      entityId: c.entityId === undefined ? current.account.entityId : c.entityId,
      systemRole: role,
      adminScope: c.adminScope ?? (role === "member" ? [] : current.account.adminScope),
      external: c.external ?? current.account.external,
    };
    return { profile: applyChanges(profileOf(current), checked), account };
  }
}

function idpOwned(
  field: string,
  why = "it is kept in sync by the identity provider for this SCIM-managed person: change it there",
) {
  return new RefusedError("idp_owned_field", "conflict", `${field} cannot be changed here: ${why}`, field);
}
