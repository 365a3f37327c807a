import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import { isUuid } from "../ids";
import type { ClaimMapping, JitRules, SsoConnection, SsoConnectionSecrets } from "./connection";

/** What a create or update writes. */
export interface ConnectionWrite {
  name: string;
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  scopes: string[];
  linkClaim: string | null;
  trustEmail: boolean;
  jit: JitRules;
  claimMapping: ClaimMapping;
  requiredGroups: string[];
  serverMetadata: Record<string, unknown>;
  enabled: boolean;
}

type ConnectionRow = Omit<SsoConnection, "requiredGroups" | "claimMapping"> & {
  claimMapping: ClaimMapping & { requiredGroups?: string[] };
};

const COLUMNS = `id, name, issuer, client_id AS "clientId", scopes, link_claim AS "linkClaim", trust_email AS "trustEmail",
  jit, claim_mapping AS "claimMapping", enabled, version, created_at AS "createdAt", updated_at AS "updatedAt"`;
const SECRETS = `server_metadata AS "serverMetadata", client_secret_sealed AS "clientSecretSealed"`;

// requiredGroups is kept in claim_mapping's jsonb beside the groups claim it is read from.
const toConnection = ({ claimMapping, ...r }: ConnectionRow): SsoConnection => {
  const { requiredGroups, ...mapping } = claimMapping;
  return { ...r, claimMapping: mapping, requiredGroups: requiredGroups ?? [] };
};

const values = (w: ConnectionWrite) => [
  w.name,
  w.issuer,
  w.clientId,
  w.clientSecretSealed,
  w.scopes,
  w.linkClaim,
  w.trustEmail,
  JSON.stringify(w.jit),
  JSON.stringify({ ...w.claimMapping, requiredGroups: w.requiredGroups }),
  JSON.stringify(w.serverMetadata),
  w.enabled,
];

/** Data access for `sso_connections`: SQL only; writes come back as Statements for the unit of work. */
export class SsoConnectionsRepository {
  async list(m: EntityManager): Promise<SsoConnection[]> {
    const rows = await sql<ConnectionRow>(m, `SELECT ${COLUMNS} FROM sso_connections ORDER BY lower(name), id`);
    return rows.map(toConnection);
  }

  /** The enabled connections' ids and names, for the sign-in page's buttons. */
  async enabledButtons(m: EntityManager): Promise<{ id: string; name: string }[]> {
    return sql(m, `SELECT id, name FROM sso_connections WHERE enabled ORDER BY lower(name), id`);
  }

  async find(m: EntityManager, id: string): Promise<SsoConnection | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<ConnectionRow>(m, `SELECT ${COLUMNS} FROM sso_connections WHERE id = $1`, [id]);
    return rows[0] ? toConnection(rows[0]) : null;
  }

  async findWithSecrets(m: EntityManager, id: string): Promise<(SsoConnection & SsoConnectionSecrets) | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<ConnectionRow & SsoConnectionSecrets>(
      m,
      `SELECT ${COLUMNS}, ${SECRETS} FROM sso_connections WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    return r
      ? { ...toConnection(r), serverMetadata: r.serverMetadata, clientSecretSealed: r.clientSecretSealed }
      : null;
  }

  async lock(m: EntityManager, id: string): Promise<(SsoConnection & SsoConnectionSecrets) | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<ConnectionRow & SsoConnectionSecrets>(
      m,
      `SELECT ${COLUMNS}, ${SECRETS} FROM sso_connections WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const r = rows[0];
    return r
      ? { ...toConnection(r), serverMetadata: r.serverMetadata, clientSecretSealed: r.clientSecretSealed }
      : null;
  }

  insert(w: ConnectionWrite): Statement {
    return {
      text: `INSERT INTO sso_connections (name, issuer, client_id, client_secret_sealed, scopes, link_claim, trust_email,
               jit, claim_mapping, server_metadata, enabled)
             VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11) RETURNING ${COLUMNS}`,
      values: values(w),
    };
  }

  update(id: string, w: ConnectionWrite): Statement {
    return {
      text: `UPDATE sso_connections SET name = $1, issuer = $2, client_id = $3, client_secret_sealed = $4, scopes = $5::text[],
               link_claim = $6, trust_email = $7, jit = $8::jsonb, claim_mapping = $9::jsonb, server_metadata = $10::jsonb,
               enabled = $11, version = version + 1, updated_at = now()
             WHERE id = $12 RETURNING ${COLUMNS}`,
      values: [...values(w), id],
    };
  }

  remove(id: string): Statement {
    return { text: `DELETE FROM sso_connections WHERE id = $1 RETURNING id`, values: [id] };
  }
}

export const rowToConnection = toConnection;
