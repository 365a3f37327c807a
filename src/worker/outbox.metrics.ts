import { Counter, Gauge, type Registry } from "prom-client";
import { logger } from "../log";
import type { OutboxTopic } from "../domain/topics";
import type { OutboxQueue, OutboxTopicStats } from "../domain/outbox/outbox.queue";
import type { JobOutcome } from "./outbox.worker";

/**
 * The worker's metrics, on the app's registry: jobs run by this process by topic and outcome (a counter, summed
 * across replicas), and the queue as the database holds it (gauges read at scrape, the same from every replica).
 * Registering again on the same registry (a second worker in one process, in tests) reuses the metrics.
 */
export function registerOutboxMetrics(
  registry: Registry,
  queue: OutboxQueue,
  topics: OutboxTopic[],
): (topic: OutboxTopic, outcome: JobOutcome) => void {
  const existing = registry.getSingleMetric("roster_outbox_jobs_total") as Counter<"topic" | "outcome"> | undefined;
  if (existing) return (topic, outcome) => existing.inc({ topic, outcome });

  const jobs = new Counter({
    name: "roster_outbox_jobs_total",
    help: "Outbox jobs run by this process, by topic and outcome (done, retry, dead)",
    labelNames: ["topic", "outcome"],
    registers: [registry],
  });
  for (const topic of topics) for (const outcome of ["done", "retry", "dead"]) jobs.inc({ topic, outcome }, 0);

  // The gauges of one scrape are collected in parallel: they share the query in flight.
  let inFlight: Promise<OutboxTopicStats[] | null> | null = null;
  const stats = () =>
    (inFlight ??= queue
      .stats(topics)
      .catch((err) => {
        logger.warn({ err }, "metrics: outbox stats unavailable");
        return null;
      })
      .finally(() => {
        inFlight = null;
      }));
  const gauge = (name: string, help: string, value: (s: OutboxTopicStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["topic"],
      registers: [registry],
      async collect() {
        const rows = await stats();
        // The database did not answer: no figure rather than a stale one.
        if (!rows) return this.reset();
        for (const row of rows) this.set({ topic: row.topic }, value(row));
      },
    });
  gauge("roster_outbox_jobs_due", "Outbox jobs due now (waiting or running), by topic", (s) => s.due);
  gauge(
    "roster_outbox_jobs_oldest_due_seconds",
    "How long the oldest due outbox job has been due, by topic (0 when none)",
    (s) => s.oldestDueSeconds,
  );
  gauge(
    "roster_outbox_jobs_dead",
    "Outbox jobs in the dead letters (GET /admin/v1/dead-letters), by topic",
    (s) => s.dead,
  );
  return (topic, outcome) => jobs.inc({ topic, outcome });
}
