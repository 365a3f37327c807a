import type { Texts } from "../i18n";

/** The import pages' texts, English and French (one file: the four pages share most of them). */
export const T: Texts<
  | "title"
  | "upload"
  | "file"
  | "fileHint"
  | "templates"
  | "colon"
  | "templateCsv"
  | "templateXlsx"
  | "mode"
  | "invite"
  | "inviteNow"
  | "inviteLater"
  | "language"
  | "languageHint"
  | "role"
  | "entity"
  | "noEntity"
  | "groups"
  | "groupsHint"
  | "send"
  | "past"
  | "pastCaption"
  | "none"
  | "when"
  | "who"
  | "status"
  | "counts"
  | "fileName"
  | "dryRun"
  | "more"
  | "newest"
  | "pages"
  | "mappingTitle"
  | "mappingIntro"
  | "column"
  | "unnamed"
  | "example"
  | "ignore"
  | "startDry"
  | "startReal"
  | "settings"
  | "importTitle"
  | "dryRunTitle"
  | "progress"
  | "cancel"
  | "report"
  | "mappingUsed"
  | "readAs"
  | "unknownColumns"
  | "noUnknown"
  | "preview"
  | "previewDry"
  | "line"
  | "result"
  | "reason"
  | "filter"
  | "all"
  | "show"
  | "runReal"
  | "overLimit"
  | "overLimitHint"
  | "overLimitDry"
  | "overLimitReal"
  | "runRealHint"
  | "changeMapping"
  | "chooseMapping"
  | "done_started"
  | "done_cancelled"
  | "deactivated"
  | "error"
  | "doubleField"
  | "yes"
  | "no"
  | "firstRows"
  | "nextRows"
  | "rowPages"
> = {
  en: {
    title: "Import people",
    upload: "Upload a file",
    file: "CSV or Excel file",
    fileHint:
      "The first line names the columns; only an email column is needed. You choose what each column is on the next page; nothing changes before you run it.",
    templates: "Templates",
    // French sets a space before a colon
    colon: ": ",
    templateCsv: "Template (CSV)",
    templateXlsx: "Template (Excel)",
    mode: "What to do with people already in Roster",
    invite: "Invitations for new people",
    inviteNow: "Invite them now",
    inviteLater: "Later (I will invite them)",
    language: "Language of new people",
    languageHint: "When the file gives none, e.g. en or fr. Leave empty for the default.",
    role: "Role of new people",
    entity: "Entity of new people",
    noEntity: "No entity",
    groups: "Groups new people join",
    groupsHint: "Hold Ctrl (or ⌘) to choose several.",
    send: "Upload and choose the columns",
    past: "Past imports",
    pastCaption: "Imports, newest first",
    none: "No import yet.",
    when: "Started",
    who: "By",
    status: "Status",
    counts: "Rows",
    fileName: "File",
    dryRun: "dry run",
    more: "Older imports",
    newest: "Newest imports",
    pages: "Pages of imports",
    mappingTitle: "What is in each column?",
    mappingIntro:
      "Each column was matched by its label; check it, change what is wrong, and choose “ignore” for a column to leave out. Then try a dry run: it shows what would happen to each row and changes nothing.",
    column: "Column",
    unnamed: "(no label)",
    example: "e.g.",
    ignore: "Ignore this column",
    startDry: "Dry run (changes nothing)",
    startReal: "Import for real now",
    settings: "Settings for the whole file",
    importTitle: "Import",
    dryRunTitle: "Dry run",
    progress: "Progress",
    cancel: "Cancel the import",
    report: "Download the report (CSV)",
    mappingUsed: "How the columns were read",
    readAs: "Read as",
    unknownColumns: "Columns ignored",
    noUnknown: "None.",
    preview: "Rows",
    previewDry: "What would happen to each row",
    line: "Line",
    result: "Result",
    reason: "Why",
    filter: "Show",
    all: "All rows",
    show: "Show",
    runReal: "Run for real with this file and mapping",
    overLimit: "Go over the deactivation limit",
    overLimitHint:
      "This sync stopped before changing anything: it would deactivate more of the entity's people than the limit allows. If the file really is the full list, run it again going over the limit.",
    overLimitDry: "Dry run, going over the limit",
    overLimitReal: "Run for real and deactivate them",
    runRealHint: "The same rows, read the same way: this time the people are created and changed.",
    changeMapping: "Change the mapping and try again",
    chooseMapping: "Choose what each column is",
    done_started: "The import has started.",
    done_cancelled: "The import is cancelled.",
    deactivated: "Deactivated (absent from the file)",
    error: "Error",
    doubleField: "Another column is read as this field too",
    yes: "yes",
    no: "no",
    firstRows: "First rows",
    nextRows: "Next rows",
    rowPages: "Pages of rows",
  },
  fr: {
    title: "Importer des personnes",
    upload: "Envoyer un fichier",
    file: "Fichier CSV ou Excel",
    fileHint:
      "La première ligne nomme les colonnes ; seule une colonne e-mail est nécessaire. Vous choisissez ce qu'est chaque colonne à la page suivante ; rien ne change avant de lancer l'import.",
    templates: "Modèles",
    colon: " : ",
    templateCsv: "Modèle (CSV)",
    templateXlsx: "Modèle (Excel)",
    mode: "Que faire des personnes déjà dans Roster",
    invite: "Invitations des nouvelles personnes",
    inviteNow: "Les inviter maintenant",
    inviteLater: "Plus tard (je les inviterai)",
    language: "Langue des nouvelles personnes",
    languageHint: "Quand le fichier n'en donne pas, par ex. fr ou en. Laisser vide pour la langue par défaut.",
    role: "Rôle des nouvelles personnes",
    entity: "Entité des nouvelles personnes",
    noEntity: "Aucune entité",
    groups: "Groupes rejoints par les nouvelles personnes",
    groupsHint: "Maintenez Ctrl (ou ⌘) pour en choisir plusieurs.",
    send: "Envoyer et choisir les colonnes",
    past: "Imports précédents",
    pastCaption: "Imports, du plus récent au plus ancien",
    none: "Aucun import pour l'instant.",
    when: "Lancé le",
    who: "Par",
    status: "État",
    counts: "Lignes",
    fileName: "Fichier",
    dryRun: "essai",
    more: "Imports plus anciens",
    newest: "Imports les plus récents",
    pages: "Pages d'imports",
    mappingTitle: "Que contient chaque colonne ?",
    mappingIntro:
      "Chaque colonne a été reconnue par son intitulé ; vérifiez, corrigez ce qui est faux, et choisissez « ignorer » pour laisser une colonne de côté. Puis faites un essai : il montre ce qui arriverait à chaque ligne sans rien changer.",
    column: "Colonne",
    unnamed: "(sans intitulé)",
    example: "ex.",
    ignore: "Ignorer cette colonne",
    startDry: "Essai (ne change rien)",
    startReal: "Importer pour de vrai maintenant",
    settings: "Réglages pour tout le fichier",
    importTitle: "Import",
    dryRunTitle: "Essai",
    progress: "Avancement",
    cancel: "Annuler l'import",
    report: "Télécharger le rapport (CSV)",
    mappingUsed: "Lecture des colonnes",
    readAs: "Lue comme",
    unknownColumns: "Colonnes ignorées",
    noUnknown: "Aucune.",
    preview: "Lignes",
    previewDry: "Ce qui arriverait à chaque ligne",
    line: "Ligne",
    result: "Résultat",
    reason: "Pourquoi",
    filter: "Afficher",
    all: "Toutes les lignes",
    show: "Afficher",
    runReal: "Importer pour de vrai avec ce fichier et cette lecture",
    overLimit: "Dépasser la limite de désactivations",
    overLimitHint:
      "Cette synchronisation s’est arrêtée avant tout changement : elle désactiverait plus de personnes de l’entité que la limite ne le permet. Si le fichier est bien la liste complète, relancez-la en dépassant la limite.",
    overLimitDry: "Essai à blanc, en dépassant la limite",
    overLimitReal: "Importer pour de vrai et les désactiver",
    runRealHint: "Les mêmes lignes, lues de la même façon : cette fois les personnes sont créées et modifiées.",
    changeMapping: "Changer la lecture des colonnes et réessayer",
    chooseMapping: "Choisir ce qu'est chaque colonne",
    done_started: "L'import a commencé.",
    done_cancelled: "L'import est annulé.",
    deactivated: "Désactivées (absentes du fichier)",
    error: "Erreur",
    doubleField: "Une autre colonne est aussi lue comme ce champ",
    yes: "oui",
    no: "non",
    firstRows: "Premières lignes",
    nextRows: "Lignes suivantes",
    rowPages: "Pages de lignes",
  },
};
