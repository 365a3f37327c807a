// BENCH_SQL_TIMES=<file>: preloaded into the server by bench/server.ts (`--require`), it times every statement sent
// through pg's Client (from the call to its answer) and, when the process exits, writes the time summed per statement
// text (its first 120 characters, whitespace folded), the most costly first, with the size of its string parameters. A bench tool only: never loaded by Roster.
const { writeFileSync } = require("node:fs");
const { Client } = require("pg");

const out = process.env.BENCH_SQL_TIMES;
const totals = new Map();
const query = Client.prototype.query;
Client.prototype.query = function timed(config, values, callback) {
  const text = typeof config === "string" ? config : config?.text;
  if (!text) return query.call(this, config, values, callback);
  const started = performance.now();
  const params = Array.isArray(values) ? values : Array.isArray(config?.values) ? config.values : [];
  const chars = params.reduce((sum, v) => sum + (typeof v === "string" ? v.length : 0), 0);
  const done = () => {
    const key = text.replace(/\s+/g, " ").slice(0, 120);
    const t = totals.get(key) ?? { ms: 0, calls: 0, chars: 0 };
    t.ms += performance.now() - started;
    t.calls++;
    t.chars += chars;
    totals.set(key, t);
  };
  // pg.Pool's query() passes a callback (values may be left out); sql() on a transaction's client awaits a promise.
  if (typeof values === "function") return query.call(this, config, timedCallback(values, done));
  if (typeof callback === "function") return query.call(this, config, values, timedCallback(callback, done));
  const result = query.call(this, config, values);
  if (result && typeof result.then === "function") result.then(done, done);
  return result;
};
const timedCallback = (cb, done) =>
  function answered(...args) {
    done();
    return cb.apply(this, args);
  };
process.on("exit", () => {
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  const lines = rows.map(
    ([k, t]) =>
      `${t.ms.toFixed(0).padStart(9)} ms ${String(t.calls).padStart(7)} calls ${(t.ms / t.calls).toFixed(2).padStart(9)} ms/call ${(t.chars / t.calls / 1024).toFixed(0).padStart(6)} KB/call  ${k}`,
  );
  writeFileSync(out, `${lines.join("\n")}\n`);
});
