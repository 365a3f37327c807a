import { parseConfig } from "../../src/config/env";
import type { Services } from "../../src/composition";
import { CONSUMED_TOPICS, isConsumedTopic } from "../../src/domain/topics";
import { EVENT_TYPES } from "../../src/domain/feed";
import type { Mailer } from "../../src/modules/mail/mailer";
import type { SmsProvider } from "../../src/modules/sms/sms";
import { outboxHandlers } from "../../src/worker/worker";

// The unit of work queues only CONSUMED_TOPICS (decision 0156): a handler whose topic is missing there would never
// get a job, and a listed topic without a handler would pile up unread. The handlers' constructors only keep what
// they are given, so empty stand-ins are enough to read the keys.
describe("the outbox's consumed topics", () => {
  const handlers = outboxHandlers({} as Services, parseConfig({}), {} as Mailer, {} as SmsProvider);

  it("are exactly the topics the worker has a handler for", () => {
    expect([...CONSUMED_TOPICS].sort()).toEqual(Object.keys(handlers).sort());
  });

  it("leave out the topics only the feed or the audit log carry", () => {
    expect(isConsumedTopic("user.deactivated")).toBe(true);
    expect(isConsumedTopic("invitation.requested")).toBe(true);
    for (const t of ["user.created", "user.updated", "group.created", "membership.added", "settings.updated"])
      expect(isConsumedTopic(t)).toBe(false);
    // every feed type stays in the feed: the filter is the outbox's alone
    expect(EVENT_TYPES).toContain("user.created");
  });
});
