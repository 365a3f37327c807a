import type { Registry } from "prom-client";
import type { Services } from "../composition";
import type { Config } from "../config/env";
import { listen, type Listener } from "../db/notifications";
import { OUTBOX_CHANNEL } from "../domain/outbox/outbox.queue";
import type { ConsumedTopic, OutboxTopic } from "../domain/topics";
import { logger } from "../log";
import { type Mailer, createMailer } from "../modules/mail/mailer";
import { type SmsProvider, createSmsProvider } from "../modules/sms/sms";
import { InviteOnActivation } from "../modules/lifecycle/invite-on-activation";
import { OnLeave } from "../modules/lifecycle/on-leave";
import { RevokeInvitationsOnLeave } from "../modules/lifecycle/revoke-invitations-on-leave";
import { EndSessionsOnLeave } from "../modules/oidc/end-sessions-on-leave";
import { issuerOf } from "../config/issuer";
import { InvitationDelivery } from "../modules/invitations/invitation-delivery";
import { invitationLinks } from "../modules/invitations/links";
import { JobsRunner } from "./jobs.runner";
import { StepLoops } from "./step-loops";
import { ImportsRunner } from "./imports.runner";
import { jobHandlers } from "./job-handlers";
import { type JobHandler, OutboxWorker } from "./outbox.worker";
import { registerOutboxMetrics } from "./outbox.metrics";
import { WebhookLoops } from "./webhooks.loop";

export interface WorkerDeps {
  mailer?: Mailer;
  sms?: SmsProvider;
  /** The app's metrics registry: job outcomes and queue gauges are added to it (see outbox.metrics.ts). */
  registry?: Registry;
}

export interface RunningWorker {
  outbox: OutboxWorker;
  admin: JobsRunner;
  /** Webhook deliveries; null when WEBHOOK_LOOPS is 0. */
  webhooks: WebhookLoops | null;
  imports: ImportsRunner;
  mailer: Mailer;
  sms: SmsProvider;
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 10 * 60_000;
/** foldTallies' default batch: a fold this size may have left more behind. */
const FOLD_BATCH = 50_000;

/**
 * The side modules, by the outbox topic each consumes: exactly the domain's CONSUMED_TOPICS, the only topics the unit of
 * work queues (decision 0156; the type and test/unit/consumed-topics.test.ts hold the two equal).
 */
export function outboxHandlers(
  services: Services,
  cfg: Config,
  mailer: Mailer,
  sms: SmsProvider,
): Record<ConsumedTopic, JobHandler> {
  // Every door's leave ends here (decision 0104): one job per leave running each reaction in turn.
  const leave = new OnLeave([
    new RevokeInvitationsOnLeave(services.invitations),
    new EndSessionsOnLeave(services, issuerOf(cfg), {
      allowPrivate: cfg.ALLOW_PRIVATE_TARGETS,
      timeoutMs: cfg.OUTBOUND_TIMEOUT_MS,
    }),
  ]);
  return {
    "user.deactivated": leave,
    "user.deleted": leave,
    "user.reactivated": new InviteOnActivation(services.invitations),
    "invitation.requested": new InvitationDelivery(services.invitations, mailer, sms, {
      platformName: cfg.PLATFORM_NAME,
      linkFor: invitationLinks(cfg).linkFor,
      defaultLanguage: cfg.DEFAULT_LANGUAGE,
      channels: async () => (await services.settings.communication()).channels,
    }),
  };
}

/**
 * Starts the worker side of a process (ROLE=all or worker): the outbox consumers and the admin jobs runner. Loops wake
 * on NOTIFY from any replica and poll otherwise; old outbox rows are pruned now and then.
 */
export async function startWorker(
  dbUrl: string,
  services: Services,
  cfg: Config,
  deps: WorkerDeps = {},
): Promise<RunningWorker> {
  const mailer = deps.mailer ?? createMailer(cfg.SMTP_URL, cfg.MAIL_FROM, cfg.DATA_DIR);
  const sms = deps.sms ?? createSmsProvider(cfg.SMS_PROVIDER, cfg.DATA_DIR);
  const queue = services.outboxQueue;
  const handlers = outboxHandlers(services, cfg, mailer, sms);
  const onOutcome = deps.registry
    ? registerOutboxMetrics(deps.registry, queue, Object.keys(handlers) as OutboxTopic[])
    : undefined;
  const outbox = new OutboxWorker(queue, handlers, {
    concurrency: cfg.WORKER_CONCURRENCY,
    pollMs: cfg.WORKER_POLL_MS,
    batchSize: cfg.WORKER_BATCH_SIZE,
    leaseMs: cfg.WORKER_LEASE_MS,
    maxAttempts: cfg.WORKER_MAX_ATTEMPTS,
    backoffMs: cfg.WORKER_BACKOFF_MS,
    onOutcome,
  }).start();
  const admin = new JobsRunner(services.jobs, jobHandlers(services.actions), {
    concurrency: cfg.ADMIN_JOBS_CONCURRENCY,
    pollMs: cfg.ADMIN_JOBS_POLL_MS,
  }).start();
  const webhooks =
    cfg.WEBHOOK_LOOPS > 0
      ? new WebhookLoops(services.deliveryQueue, {
          loops: cfg.WEBHOOK_LOOPS,
          batchSize: cfg.WEBHOOK_BATCH_SIZE,
          pollMs: cfg.WORKER_POLL_MS,
          leaseMs: cfg.WORKER_LEASE_MS,
          allowPrivate: cfg.ALLOW_PRIVATE_TARGETS,
          timeoutMs: cfg.OUTBOUND_TIMEOUT_MS,
          scheduleMs: cfg.WEBHOOK_RETRY_SCHEDULE,
        }).start()
      : null;
  const imports = new ImportsRunner(services.importBatches, {
    concurrency: cfg.IMPORT_CONCURRENCY,
    pollMs: cfg.ADMIN_JOBS_POLL_MS,
  }).start();
  const stopListening = services.jobsEnqueued.listen(() => admin.wake());
  const stopImports = services.importsQueued.listen(() => imports.wake());
  const listener: Listener = await listen(
    dbUrl,
    OUTBOX_CHANNEL,
    () => outbox.wake(),
    () => outbox.wakeAll(),
  );
  const prune = async () => {
    try {
      const consumed = Object.keys(handlers) as OutboxTopic[];
      let n: number;
      do n = await queue.prune(cfg.OUTBOX_RETENTION_DAYS, consumed);
      while (n > 0);
    } catch (err) {
      logger.warn({ err }, "outbox: pruning failed (tried again later)");
    }
    try {
      await services.events.prune(cfg.EVENTS_RETENTION_DAYS);
      await services.deliveryQueue.prune(cfg.EVENTS_RETENTION_DAYS);
    } catch (err) {
      logger.warn({ err }, "events: pruning failed (tried again later)");
    }
  };
  const pruner = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruner.unref();
  // the list tallies' deltas folded (a full batch is followed at once by the next)
  const folder = new StepLoops(
    async () => (await services.users.foldListTallies()) >= FOLD_BATCH,
    { concurrency: 1, pollMs: cfg.USER_TALLY_FOLD_MS },
    "user list tallies: folding failed, backing off",
  ).start();
  // imports: uploads whose process died failed, old imports deleted with their rows (a full step is followed at once)
  const importsUpkeep = new StepLoops(
    () => services.imports.upkeep(cfg.IMPORTS_RETENTION_DAYS),
    { concurrency: 1, pollMs: PRUNE_EVERY_MS },
    "imports: upkeep failed, backing off",
  ).start();
  logger.info({ worker: outbox.id, mail: mailer.kind, sms: sms.kind }, "worker started");
  return {
    outbox,
    admin,
    webhooks,
    imports,
    mailer,
    sms,
    async stop() {
      clearInterval(pruner);
      await folder.stop();
      await importsUpkeep.stop();
      stopListening();
      stopImports();
      await listener.close();
      await Promise.all([outbox.stop(), admin.stop(), webhooks?.stop(), imports.stop()]);
      mailer.close();
    },
  };
}
