#!/usr/bin/env node
// The registry mirror on our machines serves only linux-x64 builds of native packages, so
// `npm install` leaves other platforms' optional packages out of package-lock.json and `npm ci`
// then refuses the lock as out of sync. This adds a lock entry (version, os, cpu) for each
// optional dependency that is declared but missing, so npm ci skips it as the wrong platform.
// Run it after any `npm install` that changes package-lock.json.
const fs = require("node:fs");
const path = require("node:path");

const lockPath = path.join(__dirname, "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(lockPath, "utf8"));
const pkgs = lock.packages;
const OS = ["darwin", "linux", "win32", "freebsd", "android", "openharmony", "sunos", "aix"];
const CPU = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  return { os: OS.filter((o) => parts.includes(o)), cpu: CPU.filter((c) => parts.includes(c)) };
}

let added = 0;
for (const [where, entry] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pkgs[key] || pkgs[`${where}/${key}`]) continue;
    const { os, cpu } = platformOf(dep);
    if (os.length === 0 && cpu.length === 0) continue;
    pkgs[key] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(os.length ? { os } : {}),
      ...(cpu.length ? { cpu } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform stub entries`);
