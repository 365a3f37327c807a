/** A labelled checkbox (the label follows the box, as people expect); its value is posted only when ticked. */
export function Checkbox(p: { name: string; label: string; checked: boolean; value?: string; id?: string }) {
  const id = p.id ?? `f-${p.name}`;
  return (
    <div class="check">
      <input type="checkbox" id={id} name={p.name} value={p.value ?? "on"} checked={p.checked} />{" "}
      <label for={id}>{p.label}</label>
    </div>
  );
}

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

/** The value of a checkbox in a parsed form body: ticked when posted (any value), else not. */
export const ticked = (body: Record<string, unknown>, name: string): boolean => body[name] !== undefined;

/** A text field of a parsed form body (a repeated field keeps its last value; anything else is empty). */
export function textOf(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (Array.isArray(v)) return typeof v[v.length - 1] === "string" ? (v[v.length - 1] as string) : "";
  return typeof v === "string" ? v : "";
}

/** Every value of a repeated field (checkboxes sharing a name) in a parsed form body. */
export function valuesOf(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

/** A labelled multi-line text field with its hint and error tied to it (lists typed one per line). */
export function TextArea(p: { name: string; label: string; value: string; error?: string | null; hint?: string }) {
  const id = `f-${p.name}`;
  const described = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={`field${p.error ? " has-error" : ""}`}>
      <label for={id}>{p.label}</label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <textarea
        id={id}
        name={p.name}
        rows={3}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={described || undefined}
      >
        {p.value}
      </textarea>
      {p.error ? (
        <p class="field-error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

/** The non-empty lines of a text area. */
export const linesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
