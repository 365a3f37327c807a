import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { DOMAIN_LAYERS } from "../../src/domain/layers";

/**
 * The domain folders depend on each other one way: a folder imports only folders of LOWER layers (src/domain/layers.ts).
 * A cycle between folders is then impossible, and the composition root can build every service in layer order.
 */
const SRC = path.join(__dirname, "../../src");
const DOMAIN = path.join(SRC, "domain");

interface Violation {
  file: string;
  imports: string;
  why: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** A table owner's published SQL text (`*.fragments.ts`): any layer may use it; it uses only other fragments and the kernel. */
const isFragments = (file: string) => /\.fragments(\.ts)?$/.test(file);

/** The domain folder a path under src/domain belongs to ("kernel" for files directly in src/domain), or null outside. */
function folderOf(file: string): string | null {
  const rel = path.relative(DOMAIN, file).split(path.sep);
  if (rel[0] === "..") return null;
  return rel.length === 1 ? "kernel" : rel[0];
}

function layerViolations(
  files: { file: string; source: string }[],
  layers: readonly (readonly string[])[],
): Violation[] {
  const layerOf = new Map<string, number>();
  layers.forEach((names, i) => {
    for (const n of names) layerOf.set(n, i);
  });
  const out: Violation[] = [];
  for (const { file, source } of files) {
    const from = folderOf(file);
    if (!from) continue;
    if (!layerOf.has(from)) {
      out.push({ file, imports: "", why: `folder ${from} is not in the layer list (src/domain/layers.ts)` });
      continue;
    }
    // import/export ... from "x", import "x", import("x") (type positions too)
    for (const m of source.matchAll(/(?:(?:import|export)\s[^;]*?from\s+|import\s*\(\s*|import\s+)"(\.[^"]+)"/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      const to = folderOf(target);
      if (!to || to === from) continue;
      const a = layerOf.get(from)!;
      const b = layerOf.get(to);
      if (isFragments(file)) {
        if (!isFragments(target) && to !== "kernel")
          out.push({
            file: path.relative(DOMAIN, file),
            imports: m[1],
            why: `fragments of ${from} may import only fragments and the kernel, not ${to}`,
          });
        continue;
      }
      if (isFragments(target)) continue;
      if (b === undefined || b >= a)
        out.push({
          file: path.relative(DOMAIN, file),
          imports: m[1],
          why: `${from} (layer ${a}) may not import ${to} (layer ${b ?? "?"})`,
        });
    }
  }
  return out;
}

describe("domain layers (src/domain/layers.ts)", () => {
  it("every import between domain folders goes to a lower layer", () => {
    const files = tsFiles(DOMAIN).map((file) => ({ file, source: readFileSync(file, "utf8") }));
    expect(layerViolations(files, DOMAIN_LAYERS)).toEqual([]);
  });

  it("catches an import that goes up or sideways", () => {
    const at = (f: string) => path.join(DOMAIN, f);
    const files = [
      { file: at("users/users.service.ts"), source: 'import { X } from "../groups/groups.service";' },
      { file: at("groups/groups.service.ts"), source: 'import { Y } from "../users/users.repository";' },
      { file: at("context.ts"), source: 'import type { Z } from "./users/user";' },
      { file: at("groups/memberships.ts"), source: 'let h: typeof import("../invitations/invitation");' },
      { file: at("users/user.ts"), source: 'import { Y } from "../groups/group";\nimport "../people/person";' },
      { file: at("users/users.repository.ts"), source: 'import { userGroupsJson } from "../groups/groups.fragments";' },
      {
        file: at("groups/groups.fragments.ts"),
        source: 'import { liveUser } from "../users/users.fragments";\nimport { G } from "../users/users.service";',
      },
    ];
    const found = layerViolations(files, [["kernel"], ["users"], ["groups"]]);
    expect(found.map((v) => v.why)).toEqual([
      "users (layer 1) may not import groups (layer 2)",
      "kernel (layer 0) may not import users (layer 1)",
      "groups (layer 2) may not import invitations (layer ?)",
      "users (layer 1) may not import groups (layer 2)",
      "users (layer 1) may not import people (layer ?)",
      "fragments of groups may import only fragments and the kernel, not users",
    ]);
  });
});

/**
 * A folder builds only its own repositories: another folder's it is given in its constructor, from the repositories the
 * composition root builds once (src/composition.ts). The owner of `XRepository` is the folder of the file defining it.
 */
function foreignRepositories(files: { file: string; source: string }[]): string[] {
  const owner = new Map<string, string>();
  for (const { file, source } of files) {
    for (const m of source.matchAll(/export\s+class\s+(\w+Repository)\b/g)) owner.set(m[1], folderOf(file)!);
  }
  return files.flatMap(({ file, source }) => {
    const from = folderOf(file);
    if (!from) return [];
    return [...source.matchAll(/new\s+(\w+Repository)\s*\(/g)]
      .filter((m) => owner.get(m[1]) !== from)
      .map(
        (m) =>
          `${path.relative(DOMAIN, file)}: new ${m[1]}( (${owner.has(m[1]) ? `owned by ${owner.get(m[1])}` : "no owner in src/domain"})`,
      );
  });
}

describe("repositories (built by their owner, or given by the composition root)", () => {
  it("no domain folder constructs another folder's repository", () => {
    const files = tsFiles(DOMAIN).map((file) => ({ file, source: readFileSync(file, "utf8") }));
    expect(foreignRepositories(files)).toEqual([]);
  });

  it("catches a repository built outside its owner's folder", () => {
    const at = (f: string) => path.join(DOMAIN, f);
    const files = [
      { file: at("users/users.repository.ts"), source: "export class UsersRepository {}" },
      { file: at("users/users.service.ts"), source: "private readonly repo = new UsersRepository();" },
      { file: at("tokens/tokens.service.ts"), source: "private readonly users = new UsersRepository();" },
      { file: at("groups/memberships.ts"), source: "const repo = new MembersRepository ();" },
      { file: path.join(SRC, "composition.ts"), source: "const users = new UsersRepository();" },
    ];
    expect(foreignRepositories(files)).toEqual([
      "tokens/tokens.service.ts: new UsersRepository( (owned by users)",
      "groups/memberships.ts: new MembersRepository( (no owner in src/domain)",
    ]);
  });
});

describe("docs/ARCHITECTURE.md", () => {
  it("lists the layers of src/domain/layers.ts", () => {
    const doc = readFileSync(path.join(__dirname, "../../docs/ARCHITECTURE.md"), "utf8");
    const listed = [...doc.matchAll(/^(\d+)\. ([\w-]+(?:, [\w-]+)*)(?::|$)/gm)].map((m) => m[2].split(", "));
    expect(listed).toEqual(DOMAIN_LAYERS);
  });
});

/**
 * Only the composition root builds services: the doors, the worker and the CLI are handed theirs (src/composition.ts,
 * with one builder per area in src/composition/).
 */
const isCompositionRoot = (rel: string) => rel === "composition.ts" || rel.split(path.sep)[0] === "composition";

describe("one composition root", () => {
  it("no file of src/ but the composition root constructs a service", () => {
    const found = tsFiles(SRC)
      .filter((f) => !isCompositionRoot(path.relative(SRC, f)))
      .flatMap((f) =>
        [...readFileSync(f, "utf8").matchAll(/new \w+Service\(/g)].map((m) => `${path.relative(SRC, f)}: ${m[0]}`),
      );
    expect(found).toEqual([]);
  });

  it("src/app.ts only mounts the doors", () => {
    expect(readFileSync(path.join(SRC, "app.ts"), "utf8")).not.toMatch(/new \w+Service\(|createServices/);
  });
});
