import { diffFields, type FieldChanges } from "../audit";
import type { Effects } from "../effects";
import { type User, type UserAccount, type UserProfile, type UserSource, defaultAccount } from "./user";
import { profileOf } from "./user-rows";
import { auditView } from "./users.rules";

/** What a door left out of a write, as an audit change (absent when nothing was). */
export function ignoredChange(ignored: string[] | undefined): FieldChanges {
  return ignored?.length ? { ignoredAttributes: { before: null, after: ignored } } : {};
}

/** user.created with every field set (profile and account). */
export function createEffects(
  id: string,
  p: UserProfile,
  account: UserAccount,
  source: UserSource,
  ignored?: string[],
): Effects {
  return {
    audits: [
      {
        action: "user.created",
        subject: { type: "user", id },
        changes: {
          ...diffFields({}, auditView(p)),
          ...diffFields({ ...defaultAccount() }, { ...account }),
          ...ignoredChange(ignored),
        },
      },
    ],
    events: [{ topic: "user.created", payload: { userId: id, source } }],
  };
}

/**
 * user.restored: a removed account brought back under a new profile and account; back active, it is also the
 * person's return (user.reactivated), as a reactivation of a deactivated person is.
 */
export function restoreEffects(
  existing: User,
  p: UserProfile,
  account: UserAccount,
  source: UserSource,
  ignored?: string[],
): Effects {
  const changes = {
    ...diffFields(auditView(profileOf(existing)), auditView(p)),
    ...diffFields({ ...existing.account }, { ...account }),
    removed: { before: true, after: false },
    ...ignoredChange(ignored),
  };
  const subject = { type: "user" as const, id: existing.id };
  const effects: Effects = {
    audits: [{ action: "user.restored", subject, changes }],
    events: [{ topic: "user.created", payload: { userId: existing.id, source, restored: true } }],
  };
  if (p.active) {
    effects.audits.push({ action: "user.reactivated", subject, changes: { active: { before: false, after: true } } });
    effects.events.push({
      topic: "user.reactivated",
      payload: { userId: existing.id, wasActive: false, restored: true },
    });
  }
  return effects;
}

/** user.updated for profile and account changes, user.deactivated / user.reactivated for a change of `active`. */
export function updateEffects(before: User, nowActive: boolean, changes: FieldChanges): Effects {
  const { active, ignoredAttributes, ...others } = changes;
  const effects: Effects = { audits: [], events: [] };
  const subject = { type: "user" as const, id: before.id };
  if (Object.keys(others).length > 0) {
    effects.audits.push({
      action: "user.updated",
      subject,
      changes: ignoredAttributes ? { ...others, ignoredAttributes } : others,
    });
    effects.events.push({ topic: "user.updated", payload: { userId: before.id, fields: Object.keys(others) } });
  }
  if (active) {
    const { audits, events } = switchEffects(before.id, before.active, nowActive, active);
    effects.audits.push(...audits);
    effects.events.push(...events);
  }
  return effects;
}

/** user.deactivated / user.reactivated: the leave or the return, whatever else the write changed. */
export function switchEffects(
  id: string,
  wasActive: boolean,
  nowActive: boolean,
  active: FieldChanges[string] = { before: wasActive, after: nowActive },
): Effects {
  const topic = nowActive ? "user.reactivated" : "user.deactivated";
  return {
    audits: [{ action: topic, subject: { type: "user", id }, changes: { active } }],
    events: [{ topic, payload: { userId: id, wasActive } }],
  };
}
