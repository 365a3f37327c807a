import type { SmsProvider } from "../../src/modules/sms/sms";
import type { TestApp } from "./app";

/** An SMS provider keeping what it was asked to send (the provider interface is the seam a real adapter plugs into). */
export class CollectingSms implements SmsProvider {
  readonly kind = "test";
  readonly messages: { to: string; text: string }[] = [];
  private waiters: (() => void)[] = [];

  async send(to: string, text: string): Promise<void> {
    this.messages.push({ to, text });
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `n` messages in total were sent (rejects after `timeoutMs`). */
  async waitFor(n: number, timeoutMs = 10_000): Promise<{ to: string; text: string }[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < n) {
      if (Date.now() > deadline)
        throw new Error(`expected ${n} SMS, got ${this.messages.length} after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.messages.slice();
  }
}

/** The link token in an SMS text. */
export const smsToken = (text: string): string | null =>
  /\/auth\/invitations\/([A-Za-z0-9_-]{20,})/.exec(text)?.[1] ?? null;

export interface CommunicationPatch {
  autoInvite?: { scim?: boolean; csv?: boolean };
  channels?: { email?: boolean; sms?: boolean };
}

/** Sets the communication setting through the admin API: defaults (auto-invite off, email and SMS on) with `patch` over them. */
export async function setCommunication(t: TestApp, patch: CommunicationPatch = {}): Promise<void> {
  const body = {
    autoInvite: { scim: false, csv: false, ...patch.autoInvite },
    channels: { email: true, sms: true, ...patch.channels },
  };
  const res = await t.admin.put("/settings/communication", body);
  if (res.status !== 200) throw new Error(`communication setting: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The invitation rows of a user, oldest first. */
export const invitationsOf = async (
  t: TestApp,
  userId: string,
): Promise<{ id: string; door: string; space_name: string | null; revoked_at: Date | null }[]> =>
  t.ds.query("SELECT id, door, space_name, revoked_at FROM invitations WHERE user_id = $1 ORDER BY requested_at, id", [
    userId,
  ]);
