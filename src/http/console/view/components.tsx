import type { ComponentChildren } from "preact";

/** The session's CSRF token as the hidden field every console form must carry (checked by csrf.ts). */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** A message after an action (post, redirect, get): announced to screen readers, marked by an icon and words, not colour alone. */
export function Notice({ kind = "info", children }: { kind?: "info" | "error"; children: ComponentChildren }) {
  return (
    <p class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"}>
      <span aria-hidden="true">{kind === "error" ? "⚠ " : "✓ "}</span>
      {children}
    </p>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  value?: string | null;
  /** The error for this field (from the domain's InvalidError/ConflictError `field`), shown beside it. */
  error?: string | null;
  type?: "text" | "email" | "password" | "tel" | "url" | "search" | "number" | "datetime-local";
  required?: boolean;
  /** Shown read-only, with why (a field the identity provider owns). */
  lockedBecause?: string | null;
  hint?: string;
  autocomplete?: string;
}

/** A labelled input with its hint and its error tied to it (aria-describedby), so both are read out with it. */
export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  const described = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : "", p.lockedBecause ? `${id}-lock` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class={`field${p.error ? " has-error" : ""}`}>
      <label for={id}>
        {p.label}
        {p.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value ?? ""}
        required={p.required}
        readOnly={Boolean(p.lockedBecause)}
        autocomplete={p.autocomplete}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={described || undefined}
      />
      {p.lockedBecause ? (
        <p class="hint locked" id={`${id}-lock`}>
          <span aria-hidden="true">🔒 </span>
          {p.lockedBecause}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

export interface SelectProps {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  value?: string | null;
  error?: string | null;
}

/** A labelled drop-down with its error tied to it. */
export function Select(p: SelectProps) {
  const id = `f-${p.name}`;
  return (
    <div class={`field${p.error ? " has-error" : ""}`}>
      <label for={id}>{p.label}</label>
      <select
        id={id}
        name={p.name}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${id}-error` : undefined}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === (p.value ?? "")}>
            {o.label}
          </option>
        ))}
      </select>
      {p.error ? (
        <p class="field-error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

/** Previous and next page links of a list paged by cursor (never a count of every row). */
export function Pager(p: {
  prev?: string | null;
  next?: string | null;
  labels: { prev: string; next: string; nav: string };
}) {
  if (!p.prev && !p.next) return null;
  return (
    <nav class="pager" aria-label={p.labels.nav}>
      {p.prev ? (
        <a href={p.prev} rel="prev">
          ← {p.labels.prev}
        </a>
      ) : null}
      {p.next ? (
        <a href={p.next} rel="next">
          {p.labels.next} →
        </a>
      ) : null}
    </nav>
  );
}
