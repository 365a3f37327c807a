import type { Response } from "express";
import type { VNode } from "preact";
import { render } from "preact-render-to-string";

/**
 * Sends a console page: preact's server renderer escapes every text and attribute value it is given, so a person's
 * name can never become markup (decision 0136). No client-side preact: the browser gets plain HTML (and htmx).
 */
export function sendView(res: Response, view: VNode, status = 200): void {
  res
    .status(status)
    .type("html")
    .send(`<!doctype html>${render(view)}`);
}

/** A fragment for htmx to swap in (no document around it). */
export function sendFragment(res: Response, view: VNode, status = 200): void {
  res.status(status).type("html").send(render(view));
}

/** True when htmx asked (HX-Request): answer a fragment rather than a whole page. */
export const wantsFragment = (req: { get(name: string): string | undefined }): boolean =>
  req.get("hx-request") === "true";
