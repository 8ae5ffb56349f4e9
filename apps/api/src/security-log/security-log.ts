import type { Pool } from 'pg';

/** One refused attempt: who tried what, for which organisation, and why it was refused. */
export interface SecurityRefusal {
  readonly at: Date;
  readonly personId: string | null;
  readonly organisationId: string | null;
  readonly roles: readonly string[];
  /** The GraphQL field refused: Mutation.draftStance, Query.auditCheckpoints, … */
  readonly operation: string;
  /** The input field the refusal names (organisationId, …), when it names one. */
  readonly field: string | null;
  /** The organisation the input named, when it named one other than the caller's. */
  readonly targetOrganisationId: string | null;
  readonly code: string;
  readonly message: string;
  readonly clientAddress: string | null;
}

export interface RecordedRefusal extends SecurityRefusal {
  readonly id: string;
}

export interface SecurityLogPage {
  readonly entries: readonly RecordedRefusal[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

const MAX_PENDING = 10_000;

/**
 * The security log (issue #9): refused attempts to act — above all, an organisation's member
 * acting for another organisation — kept in PostgreSQL beside the read models, never in the event
 * log (a refusal changes nothing, and the event log is the record of what did happen). Writes are
 * queued and batched off the request path; a refusal is also logged as a warning at once, so
 * nothing is lost from sight when the database is briefly unreachable.
 */
export class SecurityLog {
  private pending: SecurityRefusal[] = [];
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  private migrated: Promise<void> | undefined;

  constructor(
    private readonly db: Pool,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Creates the table on first use (retried after a failure). */
  migrate(): Promise<void> {
    return (this.migrated ??= this.createTable().catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    }));
  }

  private async createTable(): Promise<void> {
    await this.db.query(`
      CREATE SCHEMA IF NOT EXISTS security;
      CREATE TABLE IF NOT EXISTS security.refusals (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        person_id text,
        organisation_id text,
        roles text[] NOT NULL,
        operation text NOT NULL,
        field text,
        target_organisation_id text,
        code text NOT NULL,
        message text NOT NULL,
        client_address text
      );
      CREATE INDEX IF NOT EXISTS refusals_by_organisation ON security.refusals (organisation_id, id);
      CREATE INDEX IF NOT EXISTS refusals_by_target ON security.refusals (target_organisation_id, id);`);
  }

  /** Queues the refusal (bounded: beyond 10,000 unwritten ones the oldest are counted and dropped, loudly). */
  record(refusal: SecurityRefusal): void {
    this.log(
      `security: ${refusal.organisationId ?? '-'}/${refusal.personId ?? '-'} refused ${refusal.operation}` +
        `${refusal.targetOrganisationId ? ` for ${refusal.targetOrganisationId}` : ''}${refusal.field ? ` (${refusal.field})` : ''}: ${refusal.code} ${refusal.message}`,
    );
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.dropped += 1;
    }
    this.pending.push(refusal);
    void this.flush();
  }

  /** Writes what is queued; resolves when the queue is empty (or the database refused it, which is logged). */
  flush(): Promise<void> {
    return (this.flushing ??= this.drain().finally(() => (this.flushing = undefined)));
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, 500);
      try {
        await this.migrate();
        await this.db.query(
          `INSERT INTO security.refusals (at, person_id, organisation_id, roles, operation, field, target_organisation_id, code, message, client_address)
           SELECT at, person_id, organisation_id, CASE WHEN roles = '' THEN '{}'::text[] ELSE string_to_array(roles, ',') END,
                  operation, field, target_organisation_id, code, message, client_address
             FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
               AS r(at, person_id, organisation_id, roles, operation, field, target_organisation_id, code, message, client_address)`,
          columns(batch),
        );
      } catch (error) {
        this.pending.unshift(...batch.slice(0, MAX_PENDING - this.pending.length));
        this.log(`security log: could not write ${batch.length} refusal(s), kept for the next try: ${(error as Error).message}`);
        return;
      }
    }
    if (this.dropped) {
      this.log(`security log: ${this.dropped} refusal(s) were dropped while the database was unreachable (they were logged above)`);
      this.dropped = 0;
    }
  }

  /** Newest first; `organisationId` matches the caller's or the named organisation. */
  async list(options: { readonly first: number; readonly after?: string | null; readonly organisationId?: string | null }): Promise<SecurityLogPage> {
    await this.migrate();
    const params: unknown[] = [options.first + 1];
    const where: string[] = [];
    if (options.after) {
      params.push(options.after);
      where.push(`id < $${params.length}::bigint`);
    }
    if (options.organisationId) {
      params.push(options.organisationId);
      where.push(`(organisation_id = $${params.length} OR target_organisation_id = $${params.length})`);
    }
    const { rows } = await this.db.query<Row>(
      `SELECT id::text, at, person_id, organisation_id, roles, operation, field, target_organisation_id, code, message, client_address
         FROM security.refusals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $1`,
      params,
    );
    const entries = rows.slice(0, options.first).map(fromRow);
    return { entries, endCursor: entries.length ? entries[entries.length - 1].id : null, hasNextPage: rows.length > options.first };
  }
}

interface Row {
  id: string;
  at: Date;
  person_id: string | null;
  organisation_id: string | null;
  roles: string[];
  operation: string;
  field: string | null;
  target_organisation_id: string | null;
  code: string;
  message: string;
  client_address: string | null;
}

const fromRow = (row: Row): RecordedRefusal => ({
  id: row.id,
  at: row.at,
  personId: row.person_id,
  organisationId: row.organisation_id,
  roles: row.roles,
  operation: row.operation,
  field: row.field,
  targetOrganisationId: row.target_organisation_id,
  code: row.code,
  message: row.message,
  clientAddress: row.client_address,
});

/** Column arrays for unnest; roles travel as one comma-joined text per row and are split back in SQL. */
function columns(batch: readonly SecurityRefusal[]): unknown[] {
  return [
    batch.map((r) => r.at.toISOString()),
    batch.map((r) => r.personId),
    batch.map((r) => r.organisationId),
    batch.map((r) => r.roles.join(',')),
    batch.map((r) => r.operation),
    batch.map((r) => r.field),
    batch.map((r) => r.targetOrganisationId),
    batch.map((r) => r.code),
    batch.map((r) => r.message),
    batch.map((r) => r.clientAddress),
  ];
}
