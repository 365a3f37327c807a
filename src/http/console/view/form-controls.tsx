// Form controls the shell's components.tsx lacks: a text area, a checkbox, a group of checkboxes or radios.

/** A labelled text area with its hint and error tied to it (aria-describedby). */
export function TextArea(p: {
  name: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string | null;
  rows?: number;
  required?: boolean;
}) {
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
        rows={p.rows ?? 8}
        required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={described || undefined}
      >
        {p.value ?? ""}
      </textarea>
      <FieldError id={`${id}-error`} error={p.error} />
    </div>
  );
}

/**
 * One labelled checkbox (value "on" when ticked, absent when not: a form sends nothing for it). Not in a `.field`,
 * whose stylesheet rule makes inputs full-width text boxes; the box stays beside its label.
 */
export function Checkbox(p: {
  name: string;
  label: string;
  checked: boolean;
  /** What is posted when ticked ("on" by default); `id` when several boxes share a name. */
  value?: string;
  id?: string;
  lockedBecause?: string | null;
}) {
  const id = p.id ?? `f-${p.name}`;
  return (
    <div class="checkbox">
      <input
        type="checkbox"
        id={id}
        name={p.name}
        value={p.value ?? "on"}
        checked={p.checked}
        disabled={Boolean(p.lockedBecause)}
        aria-describedby={p.lockedBecause ? `${id}-lock` : undefined}
      />
      <label for={id}>{p.label}</label>
      {p.lockedBecause ? (
        <p class="hint locked" id={`${id}-lock`}>
          <span aria-hidden="true">🔒 </span>
          {p.lockedBecause}
        </p>
      ) : null}
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

/**
 * Several choices under one legend (a fieldset): checkboxes (any number, the field repeated) or radios (one). The
 * error, named by the domain's field (`groups`, `groups[2]`...), is shown under the legend.
 */
export function ChoiceGroup(p: {
  name: string;
  legend: string;
  kind: "checkbox" | "radio";
  choices: readonly Choice[];
  selected: readonly string[];
  hint?: string;
  error?: string | null;
}) {
  const id = `f-${p.name}`;
  return (
    <fieldset
      class={`choices${p.error ? " has-error" : ""}`}
      aria-describedby={
        [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined
      }
    >
      <legend>{p.legend}</legend>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.choices.map((c, i) => (
        <div class="choice">
          <input type={p.kind} id={`${id}-${i}`} name={p.name} value={c.value} checked={p.selected.includes(c.value)} />
          <label for={`${id}-${i}`}>{c.label}</label>
        </div>
      ))}
      <FieldError id={`${id}-error`} error={p.error} />
    </fieldset>
  );
}

function FieldError({ id, error }: { id: string; error?: string | null }) {
  return error ? (
    <p class="field-error" id={id}>
      <span aria-hidden="true">⚠ </span>
      {error}
    </p>
  ) : null;
}
