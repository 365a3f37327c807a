import { Router } from "express";
import type { ConsolePageDeps } from "../pages";
import { importPage } from "./import.page";
import { mappingPages } from "./mapping.page";
import { uploadPages } from "./upload.page";

/** The import pages (decision 0147): upload and list, the mapping and the dry run, an import's progress and report. */
export function importPages(d: ConsolePageDeps): Router {
  const r = Router();
  r.use(uploadPages(d)); // first: /imports/template.csv is not an import id
  r.use(mappingPages(d));
  r.use(importPage(d));
  return r;
}
