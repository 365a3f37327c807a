import { readFileSync } from "node:fs";
import { type Router, Router as router } from "express";

/**
 * The console's only script and stylesheet, served by Roster (the CSP allows no other). htmx is read from its npm
 * package at start (pinned; decision 0136); the stylesheet is below: visible focus everywhere, states marked by words
 * and icons as well as colour, contrast at least 4.5:1. A date field's own parts (chromium's calendar button inside a
 * datetime-local) take the focus without the field matching :focus, hence :focus-within as well.
 */
const HTMX = readFileSync(require.resolve("htmx.org/dist/htmx.min.js"), "utf8");

export const CONSOLE_CSS = `*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}
header.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.5rem 1rem;background:#0b2e59;color:#fff}
header.top a{color:#fff}header.top .brand{font-weight:700;font-size:1.2rem;text-decoration:none}
header.top nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header.top nav a[aria-current=page]{font-weight:700;text-decoration:underline;text-decoration-thickness:3px}
header.top .who{margin-left:auto;display:flex;gap:1rem;align-items:center;font-size:.9rem}
main{padding:1rem 1.5rem;max-width:80rem}main:focus{outline:none}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin-top:2rem}
a{color:#0b4f9c}
a:focus,button:focus,input:focus,input:focus-within,select:focus,textarea:focus,summary:focus,[tabindex]:focus{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#0b4f9c;padding:.5rem;z-index:10}
form.inline{display:inline;margin:0}
button,.button{display:inline-block;padding:.45rem 1rem;font-size:1rem;border:2px solid #0b4f9c;border-radius:4px;background:#0b4f9c;color:#fff;text-decoration:none;cursor:pointer}
button.secondary,.button.secondary{background:#fff;color:#0b4f9c}
button.danger{background:#a40000;border-color:#a40000}
button.link{background:none;border:none;color:inherit;text-decoration:underline;padding:0;font-size:inherit}
.field{margin:.75rem 0;max-width:32rem}.field label{display:block;font-weight:600}
.field input,.field select,textarea{display:block;width:100%;padding:.45rem;margin-top:.2rem;font-size:1rem;border:1px solid #555;border-radius:4px}
.field input[readonly]{background:#f2f2f2}
.hint{margin:.1rem 0;font-size:.9rem;color:#444}
.field-error{color:#a40000;margin:.2rem 0;font-weight:600}.has-error input,.has-error select{border:2px solid #a40000}
.notice{padding:.5rem .75rem;border-left:4px solid #0b6b2e;background:#eef7f0}.notice.error{border-color:#a40000;background:#fbeeee}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
th{background:#f2f4f7}caption{text-align:left;font-weight:600;padding:.25rem 0}
.badge{display:inline-block;padding:0 .4rem;border:1px solid #555;border-radius:3px;font-size:.85rem}
.badge.on{border-color:#0b6b2e;color:#0b6b2e}.badge.off{border-color:#a40000;color:#a40000}
.pager{display:flex;gap:1.5rem;margin:1rem 0}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:flex-end}.filters .field{margin:.25rem 0}
fieldset{border:1px solid #ccc;border-radius:4px;margin:1rem 0;padding:.5rem 1rem}legend{font-weight:600}
progress{width:20rem;height:1.2rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.locked{color:#5a4500}
code{background:#f2f2f2;padding:.05rem .3rem}`;

export function consoleAssets(): Router {
  const r = router();
  r.get("/assets/console.css", (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600").type("css").send(CONSOLE_CSS);
  });
  r.get("/assets/htmx.js", (_req, res) => {
    res.set("Cache-Control", "public, max-age=86400").type("js").send(HTMX);
  });
  return r;
}
