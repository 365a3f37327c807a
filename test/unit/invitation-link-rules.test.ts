import { type LinkHolder, linkRefusal } from "../../src/domain/auth/invitation-link.rules";
import type { Invitation } from "../../src/domain/invitations/invitation";

const now = new Date("2026-03-01T12:00:00Z");
const at = (s: number) => new Date(now.getTime() + s * 1000);
const invitation = (o: Partial<Invitation> = {}): Invitation => ({
  id: "i1",
  userId: "u1",
  requestedAt: at(-100),
  requestedBy: "admin",
  door: "admin",
  space: null,
  issuedAt: at(-90),
  expiresAt: at(3600),
  sentAt: at(-80),
  channels: ["email"],
  attempts: 1,
  consumedAt: null,
  revokedAt: null,
  failedAt: null,
  failure: null,
  purpose: "join",
  ...o,
});
const holder: LinkHolder = { active: true, removedAt: null, enrolledAt: null };
const code = (inv: Invitation, h: LinkHolder | null = holder, newer = false) =>
  linkRefusal(inv, h, newer, now)?.code ?? "valid";

describe("what an invitation link is worth", () => {
  it("is valid until its expiry, and expired at the expiry instant", () => {
    expect(code(invitation({ expiresAt: at(1) }))).toBe("valid");
    expect(code(invitation({ expiresAt: at(0) }))).toBe("invitation_expired");
    expect(code(invitation({ expiresAt: null }))).toBe("invitation_expired");
  });

  it("is used once consumed, before anything else is looked at", () => {
    expect(code(invitation({ consumedAt: at(-5), expiresAt: at(-1) }), { ...holder, enrolledAt: at(-5) })).toBe(
      "invitation_used",
    );
  });

  it("is replaced when revoked and a newer invitation exists, withdrawn when revoked or failed otherwise", () => {
    expect(code(invitation({ revokedAt: at(-1) }), holder, true)).toBe("invitation_replaced");
    expect(code(invitation({ revokedAt: at(-1) }), holder, false)).toBe("invitation_revoked");
    expect(code(invitation({ failedAt: at(-1) }))).toBe("invitation_revoked");
  });

  it("is withdrawn when the person is gone, deactivated or joined another way", () => {
    expect(code(invitation(), null)).toBe("invitation_revoked");
    expect(code(invitation(), { ...holder, active: false })).toBe("invitation_revoked");
    expect(code(invitation(), { ...holder, removedAt: at(-1) })).toBe("invitation_revoked");
    expect(code(invitation(), { ...holder, enrolledAt: at(-1) })).toBe("invitation_revoked");
  });

  it("a set-password link (roster admin invite) serves a person who joined already; every other refusal stays", () => {
    const link = (o: Partial<Invitation> = {}) => invitation({ purpose: "set_password", channels: ["cli"], ...o });
    expect(code(link(), { ...holder, enrolledAt: at(-1) })).toBe("valid");
    expect(code(link())).toBe("valid");
    expect(code(link(), { ...holder, active: false, enrolledAt: at(-1) })).toBe("invitation_revoked");
    expect(code(link({ consumedAt: at(-1) }), { ...holder, enrolledAt: at(-1) })).toBe("invitation_used");
    expect(code(link({ revokedAt: at(-1) }), holder, true)).toBe("invitation_replaced");
    expect(code(link({ expiresAt: at(0) }), { ...holder, enrolledAt: at(-1) })).toBe("invitation_expired");
  });
});
