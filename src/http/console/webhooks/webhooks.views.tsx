import { EVENT_TYPES } from "../../../domain/feed";
import type { Delivery } from "../../../domain/webhooks/deliveries.repository";
import type { Webhook } from "../../../domain/webhooks/webhooks.repository";
import { formatInstant } from "../i18n";
import { CsrfField, Field } from "../view/components";
import { StateBadge } from "../view/controls";
import { Checkbox } from "../view/form-controls";
import { type FieldError, errorFor } from "../view/field-errors";
import { T } from "./webhooks.texts";

type Lang = "en" | "fr";

export interface TypedWebhook {
  url: string;
  events: string[];
  description: string;
}

/** The new endpoint's form: URL (a refused target's reason beside it), event types as labelled checkboxes. */
export function WebhookForm(p: { lang: Lang; csrf: string; typed: TypedWebhook; err: FieldError | null }) {
  const t = T[p.lang];
  const eventsError = errorFor(p.err, "events");
  return (
    <form method="post" action="/console/webhooks">
      <CsrfField token={p.csrf} />
      <Field
        name="url"
        label={t.url}
        type="url"
        hint={t.urlHint}
        value={p.typed.url}
        required
        error={errorFor(p.err, "url")}
      />
      <fieldset aria-describedby={eventsError ? "f-events-error" : undefined}>
        <legend>{t.events}</legend>
        {EVENT_TYPES.map((type) => (
          <Checkbox
            name="events"
            value={type}
            id={`f-events-${type}`}
            label={type}
            checked={p.typed.events.includes(type)}
          />
        ))}
        {eventsError ? (
          <p class="field-error" id="f-events-error">
            <span aria-hidden="true">⚠ </span>
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <Field
        name="description"
        label={t.description}
        value={p.typed.description}
        error={errorFor(p.err, "description")}
      />
      <button type="submit">{t.create}</button>
    </form>
  );
}

export function WebhookTable({ lang, items }: { lang: Lang; items: Webhook[] }) {
  const t = T[lang];
  if (items.length === 0) return <p>{t.none}</p>;
  return (
    <table>
      <caption>{t.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.url}</th>
          <th scope="col">{t.events}</th>
          <th scope="col">{t.state}</th>
          <th scope="col">{t.created}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((w) => (
          <tr>
            <td>
              <a href={`/console/webhooks/${w.id}`}>{w.url}</a>
              {w.description ? <div class="hint">{w.description}</div> : null}
            </td>
            <td>{w.events.join(", ")}</td>
            <td>
              <StateBadge on={w.enabled} label={w.enabled ? t.enabled : t.disabled} />
            </td>
            <td>{formatInstant(lang, w.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An endpoint's recent deliveries: status in words, attempts, last error; a failed one can be retried (a form). */
export function DeliveriesTable(p: { lang: Lang; csrf: string; webhookId: string; items: Delivery[] }) {
  const t = T[p.lang];
  if (p.items.length === 0) return <p>{t.noDeliveries}</p>;
  return (
    <table>
      <caption>{t.deliveries}</caption>
      <thead>
        <tr>
          <th scope="col">{t.event}</th>
          <th scope="col">{t.status}</th>
          <th scope="col">{t.attempts}</th>
          <th scope="col">{t.lastAttempt}</th>
          <th scope="col">{t.lastError}</th>
          <th scope="col">{t.retry}</th>
        </tr>
      </thead>
      <tbody>
        {p.items.map((d) => (
          <tr>
            <td>
              {d.eventType} <code>{d.eventId}</code>
            </td>
            <td>
              <StateBadge on={d.state === "delivered"} label={d.state} />
              {d.lastStatus !== null ? ` HTTP ${d.lastStatus}` : ""}
            </td>
            <td>{d.attempts}</td>
            <td>{formatInstant(p.lang, d.lastAttemptAt)}</td>
            <td>{d.lastError ?? ""}</td>
            <td>
              {d.state === "failed" ? (
                <form method="post" action={`/console/webhooks/${p.webhookId}/deliveries/${d.id}/retry`} class="inline">
                  <CsrfField token={p.csrf} />
                  <button type="submit" class="secondary" aria-label={`${t.retry} ${d.eventType} ${d.eventId}`}>
                    {t.retry}
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
