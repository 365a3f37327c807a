import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseConfig } from "../../src/config/env";
import { defaultSharedBuffers } from "../../src/db/embedded";
import { tempDataDir } from "../support/process";

const ROOT = path.resolve(__dirname, "../..");
const GB = 2 ** 30;
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Starts the embedded PostgreSQL in a child process (jest's VM cannot import it) and reads its shared_buffers. */
function sharedBuffersOfAStart(setting?: string): string {
  const dataDir = tempDataDir();
  made.push(dataDir);
  const args = ["--import", "tsx", "test/support/embedded-from.ts", ROOT, dataDir, ...(setting ? [setting] : [])];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
  expect(run.stderr).toBe("");
  return (JSON.parse(run.stdout) as { sharedBuffers: string }).sharedBuffers;
}

describe("shared_buffers of the embedded PostgreSQL (EMBEDDED_PG_SHARED_BUFFERS)", () => {
  it("defaults to an eighth of the machine's memory, from PostgreSQL's 128MB up to 2GB", () => {
    expect(defaultSharedBuffers(512 * 2 ** 20)).toBe("128MB");
    expect(defaultSharedBuffers(4 * GB)).toBe("512MB");
    expect(defaultSharedBuffers(12 * GB)).toBe("1536MB");
    expect(defaultSharedBuffers(64 * GB)).toBe("2048MB");
  });

  it("is a size with its unit; anything else stops the start with the variable named", () => {
    expect(parseConfig({ EMBEDDED_PG_SHARED_BUFFERS: "512MB" }).EMBEDDED_PG_SHARED_BUFFERS).toBe("512MB");
    expect(parseConfig({}).EMBEDDED_PG_SHARED_BUFFERS).toBeUndefined();
    for (const bad of ["512", "1 GB", "0MB", "lots", "2TB"])
      expect(() => parseConfig({ EMBEDDED_PG_SHARED_BUFFERS: bad })).toThrow(/EMBEDDED_PG_SHARED_BUFFERS/);
  });

  it("is what the started PostgreSQL runs with, given or by default", () => {
    expect(sharedBuffersOfAStart("48MB")).toBe("48MB");
    const byDefault = Number(defaultSharedBuffers().replace("MB", ""));
    expect(sharedBuffersOfAStart()).toBe(byDefault % 1024 === 0 ? `${byDefault / 1024}GB` : `${byDefault}MB`);
  });
});
