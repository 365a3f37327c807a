import type { Entity } from "../../domain/entities/entity";
import type { Language } from "../../domain/language";
import { escapeHtml } from "./html-page";

const TEXT = {
  en: {
    title: "Create an account",
    givenName: "First name",
    familyName: "Last name",
    email: "Email",
    or: "No email? A username and a mobile phone number instead:",
    userName: "Username",
    phone: "Mobile phone (+33612345678)",
    language: "Language",
    department: "Department",
    none: "Choose…",
    carried: "Department",
    submit: "Create my account",
    sentTitle: "Check your messages",
    sent: "If this address or phone can be used, a message with a link to activate your account is on its way.",
  },
  fr: {
    title: "Créer un compte",
    givenName: "Prénom",
    familyName: "Nom",
    email: "E-mail",
    or: "Pas d'e-mail ? Un identifiant et un numéro de mobile à la place :",
    userName: "Identifiant",
    phone: "Mobile (+33612345678)",
    language: "Langue",
    department: "Service",
    none: "Choisir…",
    carried: "Service",
    submit: "Créer mon compte",
    sentTitle: "Consultez vos messages",
    sent: "Si cette adresse ou ce numéro peut être utilisé, un message avec un lien pour activer votre compte est en route.",
  },
} as const;

export interface SignUpForm {
  language: Language;
  action: string;
  values: Record<string, string>;
  /** The department a link carries (then no list), else the list to choose from. */
  carried: Entity | null;
  departments: Entity[];
  error: { field: string; message: string } | null;
}

const field = (id: string, label: string, value: string, type: string, error: SignUpForm["error"], extra = "") => {
  const invalid = error?.field === id;
  return `<label for="${id}">${escapeHtml(label)}</label>
<input id="${id}" name="${id}" type="${type}" value="${escapeHtml(value)}"${extra}${invalid ? ` aria-invalid="true" aria-describedby="${id}-error"` : ""}>
${invalid ? `<p class="error" id="${id}-error">${escapeHtml(error?.message)}</p>` : ""}`;
};

/** The sign-up form's HTML (no script): names, email or username + phone, language, department. */
export function signUpFormHtml(f: SignUpForm): { title: string; body: string } {
  const t = TEXT[f.language];
  const v = (k: string) => f.values[k] ?? "";
  const department = f.carried
    ? `<p>${t.carried}: <strong>${escapeHtml(f.carried.name)}</strong></p>`
    : f.departments.length > 0
      ? `<label for="entityId">${t.department}</label>
<select id="entityId" name="entityId"><option value="">${t.none}</option>${f.departments
          .map(
            (d) => `<option value="${d.id}"${v("entityId") === d.id ? " selected" : ""}>${escapeHtml(d.name)}</option>`,
          )
          .join(
            "",
          )}</select>${f.error?.field === "entityId" ? `<p class="error">${escapeHtml(f.error.message)}</p>` : ""}`
      : "";
  const languages = [
    ["en", "English"],
    ["fr", "Français"],
  ]
    .map(
      ([code, label]) =>
        `<option value="${code}"${(v("language") || f.language) === code ? " selected" : ""}>${label}</option>`,
    )
    .join("");
  const general =
    f.error && !["givenName", "familyName", "email", "userName", "phone", "entityId"].includes(f.error.field);
  return {
    title: t.title,
    body: `${general ? `<p class="error" role="alert">${escapeHtml(f.error?.message)}</p>` : ""}
<form method="post" action="${escapeHtml(f.action)}" novalidate>
${field("givenName", t.givenName, v("givenName"), "text", f.error, ' autocomplete="given-name" required')}
${field("familyName", t.familyName, v("familyName"), "text", f.error, ' autocomplete="family-name" required')}
${field("email", t.email, v("email"), "email", f.error, ' autocomplete="email"')}
<p>${t.or}</p>
${field("userName", t.userName, v("userName"), "text", f.error, ' autocomplete="username"')}
${field("phone", t.phone, v("phone"), "tel", f.error, ' autocomplete="tel"')}
<label for="language">${t.language}</label><select id="language" name="language">${languages}</select>
${department}
<button type="submit">${t.submit}</button>
</form>`,
  };
}

export const sentPage = (language: Language) => ({
  title: TEXT[language].sentTitle,
  body: `<p role="status">${escapeHtml(TEXT[language].sent)}</p>`,
});
