/** A badge saying a state in words (never by colour alone): on/off, set/not set. */
export const StateBadge = ({ on, label }: { on: boolean; label: string }) => (
  <span class={`badge ${on ? "on" : "off"}`}>{label}</span>
);

/**
 * A secret shown once (a new API token, a webhook secret): in a labelled, selectable box, with the warning that it
 * will not be shown again. Announced as a status so a screen reader reads it out with the page.
 */
export function SecretOnce(p: { label: string; secret: string; warning: string }) {
  return (
    <div class="secret-once" role="status">
      <p>
        <strong>{p.label}</strong>
      </p>
      <p>
        <code id="secret-value">{p.secret}</code>
      </p>
      <p class="notice">
        <span aria-hidden="true">⚠ </span>
        {p.warning}
      </p>
    </div>
  );
}
