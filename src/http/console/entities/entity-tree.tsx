import type { Entity } from "../../../domain/entities/entity";

/** An entity with the entities below it that the reader may see. */
export interface TreeNode {
  entity: Entity;
  children: TreeNode[];
}

/**
 * Nests the flat, name-ordered list the service gives. An entity whose parent is not in the list (above a limited
 * admin's scope) is shown as a root: a limited admin sees their part of the tree only.
 */
export function nestEntities(list: readonly Entity[]): TreeNode[] {
  const nodes = new Map(list.map((e) => [e.id, { entity: e, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.entity.parentId ? nodes.get(node.entity.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Every entity in tree order (depth first), named by its path from its root: "Holding / France / Lyon". */
export function entityPaths(roots: readonly TreeNode[]): { id: string; path: string }[] {
  const out: { id: string; path: string }[] = [];
  const walk = (nodes: readonly TreeNode[], above: string) => {
    for (const n of nodes) {
      const path = above ? `${above} / ${n.entity.name}` : n.entity.name;
      out.push({ id: n.entity.id, path });
      walk(n.children, path);
    }
  };
  walk(roots, "");
  return out;
}

/** The parent drop-down: every entity the admin reaches, by its path; "top level" only for an admin of everything. */
export function parentOptions(list: readonly Entity[], wholeOrganisation: boolean, topLabel: string) {
  const paths = entityPaths(nestEntities(list)).map((p) => ({ value: p.id, label: p.path }));
  return wholeOrganisation ? [{ value: "", label: topLabel }, ...paths] : paths;
}

/**
 * The tree as nested lists of links: read as a tree by screen readers (lists within lists, their levels announced),
 * walked with the Tab key, nothing to expand so nothing needs a script.
 */
export function EntityTree({
  nodes,
  label,
  current,
}: {
  nodes: readonly TreeNode[];
  label?: string;
  current?: string;
}) {
  return (
    <ul class="tree" aria-label={label}>
      {nodes.map((n) => (
        <li>
          <a href={`/console/entities/${n.entity.id}`} aria-current={n.entity.id === current ? "page" : undefined}>
            {n.entity.name}
          </a>
          {n.children.length > 0 ? <EntityTree nodes={n.children} current={current} /> : null}
        </li>
      ))}
    </ul>
  );
}
