import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import { canonicalJson } from '@kyogi/event-store/canonical-json';
import type { ConsultationEvent } from '@kyogi/domain/consultations/consultations.events';
import { applyStanceChange, emptyTally, type Stance, type Tally } from '@kyogi/domain/consultations/tally';
import { withBatch, type Projection, type ProjectionBatch, type ReadModelChange } from '../projection';
import { addConstraintsIfMissing, insertNewRecords, insertRecords, withRows, type Column, type ConstraintDefinition } from '../records';
import { ORGANISATIONS_PENDING } from '../organisations/organisations.projection';

/**
 * Consultations (rounds) on submitted proposals: the rules, the electorate with each
 * organisation's current official stance (and its prefecture, for chasing non-respondents), the
 * history of every stance cast, the drafts, and a live tally.
 *
 * The live tally (`consultations.tally`) is maintained incrementally with the domain's
 * applyStanceChange on every StanceCast — never recomputed by an SQL aggregation — so it is the
 * very tally the decider keeps; at close, `final_tally` and `outcome` are the event's.
 *
 * Changes are announced as entity 'consultation'. Their scope carries `resultsHidden`, `status`
 * and `tally` (JSON) — the tally only when results are not hidden or the round is closed: a
 * hidden tally stays hidden in every notification (libs/live/src/visibility.ts). A draft is
 * announced without a tally, with the organisation it is for (`organisationId`) and the one that
 * drafted it (`draftingOrganisationId`): only their people hear of it (visibility.ts draftVisibleTo).
 */
/** The round of each electorate member, draft and stance. */
const ROUND_KEYS: readonly ConstraintDefinition[] = ['consultation_electorate', 'consultation_stances', 'consultation_drafts'].map((table) => ({
  table: `read_models.${table}`,
  name: `${table}_consultation_id_fkey`,
  definition: 'FOREIGN KEY (consultation_id) REFERENCES read_models.consultations (consultation_id)',
}));

export const consultationsProjection: Projection = {
  name: 'consultations',
  version: 1,
  tables: ['read_models.consultation_drafts', 'read_models.consultation_stances', 'read_models.consultation_electorate', 'read_models.consultations'],
  // Each row's round is checked once at the end of a rebuild, not row by row (a rebuild writes a round's electorate, drafts and stances in bulk).
  deferredConstraints: ROUND_KEYS,

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.consultations (
        consultation_id          text PRIMARY KEY,
        proposal_id              text NOT NULL,
        spec_id                  text NOT NULL,
        opened_by_person_id      text NOT NULL,
        opened_by_organisation_id text NOT NULL,
        opened_at                timestamptz NOT NULL,
        -- equal | population
        weighting                text NOT NULL,
        quorum_percent           integer NOT NULL,
        threshold_percent        integer NOT NULL,
        threshold_basis          text NOT NULL,
        block_vetoes             boolean NOT NULL,
        closes_at                timestamptz NOT NULL,
        results_hidden           boolean NOT NULL,
        ladder_id                text,
        stage                    integer,
        -- open | closed
        status                   text NOT NULL,
        -- The live tally (Tally), maintained incrementally from every StanceCast.
        tally                    jsonb NOT NULL,
        -- At close: the outcome and the exact tally recorded in ConsultationClosed.
        outcome                  jsonb,
        final_tally              jsonb,
        closed_at                timestamptz,
        early                    boolean,
        close_reason             text,
        closed_by_person_id      text,
        opened_position          text NOT NULL,
        stream_version           bigint NOT NULL,
        position                 text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS consultations_proposal ON read_models.consultations (proposal_id, opened_position);
      CREATE INDEX IF NOT EXISTS consultations_due ON read_models.consultations (closes_at) WHERE status = 'open';
      CREATE TABLE IF NOT EXISTS read_models.consultation_electorate (
        consultation_id          text NOT NULL,
        organisation_id          text NOT NULL,
        -- Order in the electorate as opened.
        ordinal                  integer NOT NULL,
        weight                   bigint NOT NULL,
        prefecture_code          text,
        stance                   text,
        reason                   text,
        draft_id                 text,
        cast_by_organisation_id  text,
        mandate_id               text,
        cast_at                  timestamptz,
        PRIMARY KEY (consultation_id, organisation_id)
      );
      CREATE INDEX IF NOT EXISTS consultation_electorate_pending ON read_models.consultation_electorate (consultation_id, prefecture_code) WHERE stance IS NULL;
      CREATE TABLE IF NOT EXISTS read_models.consultation_stances (
        consultation_id          text NOT NULL,
        stream_version           bigint NOT NULL,
        organisation_id          text NOT NULL,
        draft_id                 text NOT NULL,
        stance                   text NOT NULL,
        supersedes               text,
        reason                   text,
        cast_by_organisation_id  text NOT NULL,
        mandate_id               text,
        approved_by_person_id    text NOT NULL,
        cast_at                  timestamptz NOT NULL,
        position                 text NOT NULL,
        PRIMARY KEY (consultation_id, stream_version)
      );
      CREATE TABLE IF NOT EXISTS read_models.consultation_drafts (
        consultation_id          text NOT NULL,
        draft_id                 text NOT NULL,
        organisation_id          text NOT NULL,
        cast_by_organisation_id  text NOT NULL,
        mandate_id               text,
        stance                   text NOT NULL,
        reason                   text,
        drafted_by_person_id     text NOT NULL,
        drafted_at               timestamptz NOT NULL,
        approved                 boolean NOT NULL DEFAULT false,
        PRIMARY KEY (consultation_id, draft_id)
      );
      CREATE INDEX IF NOT EXISTS consultation_drafts_by ON read_models.consultation_drafts (consultation_id, cast_by_organisation_id);
    `);
    await addConstraintsIfMissing(db, ROUND_KEYS);
  },

  async apply(recorded: RecordedEvent, db: PoolClient, batch?: ProjectionBatch): Promise<readonly ReadModelChange[]> {
    if (!recorded.streamName.startsWith('Consultation-')) return [];
    return withBatch(db, batch, (b) => applyConsultationEvent(recorded, db, b));
  },
};

async function applyConsultationEvent(recorded: RecordedEvent, db: PoolClient, batch: ProjectionBatch): Promise<readonly ReadModelChange[]> {
  const event = { type: recorded.type, data: recorded.data } as unknown as ConsultationEvent;
  const at = recorded.metadata.occurredAt;
  const version = recorded.revision.toString();
  const position = formatPosition(recorded.position);
  const id = event.data.consultationId;
  switch (event.type) {
    case 'ConsultationOpened': {
      const d = event.data;
      const tally = emptyTally(d.electorate);
      // The prefecture of each member, from the organisations read model (with what it has not written yet), as the round opens.
      await batch.flush(ORGANISATIONS_PENDING);
      const { rows } = await db.query<{ id: string; prefecture_code: string | null }>(
        'SELECT id, prefecture_code FROM read_models.organisations WHERE id = ANY($1::text[])',
        [d.electorate.map((m) => m.organisationId)],
      );
      const prefectures = new Map(rows.map((r) => [r.id, r.prefecture_code]));
      const p = pending(batch);
      p.opened.set(id, {
        consultation_id: id,
        proposal_id: d.proposalId,
        spec_id: d.specId,
        opened_by_person_id: d.openedByPersonId,
        opened_by_organisation_id: d.openedByOrganisationId,
        opened_at: d.openedAt,
        weighting: d.weighting,
        quorum_percent: d.quorumPercent,
        threshold_percent: d.thresholdPercent,
        threshold_basis: d.thresholdBasis,
        block_vetoes: d.blockVetoes,
        closes_at: d.closesAt,
        results_hidden: d.resultsHidden,
        ladder_id: d.ladderId,
        stage: d.stage,
        status: 'open',
        tally,
        opened_position: position,
        stream_version: version,
        position,
      });
      d.electorate.forEach((m, ordinal) =>
        p.members.set(`${id}\u0000${m.organisationId}`, {
          consultation_id: id,
          organisation_id: m.organisationId,
          ordinal,
          weight: m.weight,
          prefecture_code: prefectures.get(m.organisationId) ?? null,
        }),
      );
      p.rounds.set(id, {
        tally,
        resultsHidden: d.resultsHidden,
        electorate: new Map(d.electorate.map((m) => [m.organisationId, { weight: Number(m.weight), stance: null }])),
      });
      return [change(id, event.type, position, d.resultsHidden, 'open', tally)];
    }
    case 'StanceDrafted': {
      const d = event.data;
      const p = pending(batch);
      p.drafts.push({
        consultation_id: id,
        draft_id: d.draftId,
        organisation_id: d.organisationId,
        cast_by_organisation_id: d.castByOrganisationId,
        mandate_id: d.mandateId,
        stance: d.stance,
        reason: d.reason,
        drafted_by_person_id: d.draftedByPersonId,
        drafted_at: at,
      });
      touch(p, id, version, position);
      // The drafting organisation's business (its approver sees it arrive) and the grantor's under a mandate.
      return [
        {
          entity: 'consultation',
          id,
          change: event.type,
          position,
          scope: { status: 'open', tally: null, organisationId: d.organisationId, draftingOrganisationId: d.castByOrganisationId },
        },
      ];
    }
    case 'StanceCast': {
      const d = event.data;
      const p = pending(batch);
      const round = await loadRound(db, p, id);
      const member = round?.electorate.get(d.organisationId);
      if (!round || !member) return []; // the decider refuses organisations outside the electorate; never wedge on one
      round.tally = applyStanceChange(round.tally, member.weight, member.stance, d.stance);
      member.stance = d.stance;
      touch(p, id, version, position).tally = round.tally;
      p.cast.set(`${id}\u0000${d.organisationId}`, {
        consultation_id: id,
        organisation_id: d.organisationId,
        stance: d.stance,
        reason: d.reason,
        draft_id: d.draftId,
        cast_by_organisation_id: d.castByOrganisationId,
        mandate_id: d.mandateId,
        cast_at: at,
      });
      p.stances.push({
        consultation_id: id,
        stream_version: version,
        organisation_id: d.organisationId,
        draft_id: d.draftId,
        stance: d.stance,
        supersedes: d.supersedes,
        reason: d.reason,
        cast_by_organisation_id: d.castByOrganisationId,
        mandate_id: d.mandateId,
        approved_by_person_id: d.approvedByPersonId,
        cast_at: at,
        position,
      });
      p.approved.push({ consultation_id: id, draft_id: d.draftId });
      return [change(id, event.type, position, round.resultsHidden, 'open', round.tally, d.organisationId)];
    }
    case 'ConsultationClosed': {
      const d = event.data;
      await batch.flush(PENDING);
      const { rows } = await db.query<{ results_hidden: boolean }>(
        `UPDATE read_models.consultations SET status = 'closed', outcome = $2::jsonb, final_tally = $3::jsonb, closed_at = $4, early = $5,
             close_reason = $6, closed_by_person_id = $7, stream_version = $8, position = $9
            WHERE consultation_id = $1 RETURNING results_hidden`,
        [id, JSON.stringify(d.outcome), JSON.stringify(d.tally), d.closedAt, d.early, d.reason, d.closedByPersonId, version, position],
      );
      if (!rows[0]) return [];
      return [change(id, event.type, position, rows[0].results_hidden, 'closed', d.tally)];
    }
    default:
      return [];
  }
}

/** A round as StanceCast needs it: its live tally and each member's weight and current stance. */
interface Round {
  tally: Tally;
  readonly resultsHidden: boolean;
  readonly electorate: Map<string, { readonly weight: number; stance: Stance | null }>;
}

/**
 * Drafts and stances of this transaction, written at its end in a few multi-row statements: a
 * burst of stances on one round (or a rebuild) costs a handful of round trips per batch, and the
 * tally is folded in memory with the domain's applyStanceChange, as the decider folds it.
 */
interface Pending {
  readonly rounds: Map<string, Round>;
  /** Rounds opened in this transaction, and their members: inserted with the stances cast since. */
  readonly opened: Map<string, Record<string, unknown>>;
  readonly members: Map<string, Record<string, unknown>>;
  readonly drafts: Record<string, unknown>[];
  /** The latest event of each round, and its tally when a stance changed it. */
  readonly touched: Map<string, { consultation_id: string; stream_version: string; position: string; tally?: Tally }>;
  /** The current stance of each member, by round and organisation (the last cast wins). */
  readonly cast: Map<string, Record<string, unknown>>;
  readonly stances: Record<string, unknown>[];
  readonly approved: { consultation_id: string; draft_id: string }[];
}

const PENDING = 'consultations';

function pending(batch: ProjectionBatch): Pending {
  return batch.pending<Pending>(
    PENDING,
    () => ({ rounds: new Map(), opened: new Map(), members: new Map(), drafts: [], touched: new Map(), cast: new Map(), stances: [], approved: [] }),
    writePending,
  );
}

function touch(p: Pending, id: string, version: string, position: string) {
  const previous = p.touched.get(id);
  const entry = { consultation_id: id, stream_version: version, position, tally: previous?.tally };
  p.touched.set(id, entry);
  return entry;
}

async function loadRound(db: PoolClient, p: Pending, id: string): Promise<Round | undefined> {
  const known = p.rounds.get(id);
  if (known) return known;
  // Not loaded in this transaction, so nothing of it is pending: the tables hold it.
  const { rows } = await db.query<{ tally: Tally; results_hidden: boolean }>(
    'SELECT tally, results_hidden FROM read_models.consultations WHERE consultation_id = $1',
    [id],
  );
  if (!rows[0]) return undefined;
  const members = await db.query<{ organisation_id: string; weight: string; stance: Stance | null }>(
    'SELECT organisation_id, weight, stance FROM read_models.consultation_electorate WHERE consultation_id = $1',
    [id],
  );
  const round: Round = {
    tally: rows[0].tally,
    resultsHidden: rows[0].results_hidden,
    electorate: new Map(members.rows.map((m) => [m.organisation_id, { weight: Number(m.weight), stance: m.stance }])),
  };
  p.rounds.set(id, round);
  return round;
}

const ROUND_COLUMNS: readonly Column[] = [
  ['consultation_id', 'text'],
  ['proposal_id', 'text'],
  ['spec_id', 'text'],
  ['opened_by_person_id', 'text'],
  ['opened_by_organisation_id', 'text'],
  ['opened_at', 'timestamptz'],
  ['weighting', 'text'],
  ['quorum_percent', 'integer'],
  ['threshold_percent', 'integer'],
  ['threshold_basis', 'text'],
  ['block_vetoes', 'boolean'],
  ['closes_at', 'timestamptz'],
  ['results_hidden', 'boolean'],
  ['ladder_id', 'text'],
  ['stage', 'integer'],
  ['status', 'text'],
  ['tally', 'jsonb'],
  ['opened_position', 'text'],
  ['stream_version', 'bigint'],
  ['position', 'text'],
];
const MEMBER_COLUMNS: readonly Column[] = [
  ['consultation_id', 'text'],
  ['organisation_id', 'text'],
  ['ordinal', 'integer'],
  ['weight', 'bigint'],
  ['prefecture_code', 'text'],
  ['stance', 'text'],
  ['reason', 'text'],
  ['draft_id', 'text'],
  ['cast_by_organisation_id', 'text'],
  ['mandate_id', 'text'],
  ['cast_at', 'timestamptz'],
];
const DRAFT_COLUMNS: readonly Column[] = [
  ['consultation_id', 'text'],
  ['draft_id', 'text'],
  ['organisation_id', 'text'],
  ['cast_by_organisation_id', 'text'],
  ['mandate_id', 'text'],
  ['stance', 'text'],
  ['reason', 'text'],
  ['drafted_by_person_id', 'text'],
  ['drafted_at', 'timestamptz'],
  ['approved', 'boolean'],
];
const CAST_COLUMNS: readonly Column[] = [
  ['consultation_id', 'text'],
  ['organisation_id', 'text'],
  ['stance', 'text'],
  ['reason', 'text'],
  ['draft_id', 'text'],
  ['cast_by_organisation_id', 'text'],
  ['mandate_id', 'text'],
  ['cast_at', 'timestamptz'],
];
const STANCE_COLUMNS: readonly Column[] = [
  ['consultation_id', 'text'],
  ['stream_version', 'bigint'],
  ['organisation_id', 'text'],
  ['draft_id', 'text'],
  ['stance', 'text'],
  ['supersedes', 'text'],
  ['reason', 'text'],
  ['cast_by_organisation_id', 'text'],
  ['mandate_id', 'text'],
  ['approved_by_person_id', 'text'],
  ['cast_at', 'timestamptz'],
  ['position', 'text'],
];

/** Rounds and members opened here first, drafts before the stances that approve them, stored rounds' own row last. */
async function writePending(db: PoolClient, p: Pending): Promise<void> {
  // What happened to rounds opened in this transaction goes into their rows; the UPDATEs are for rounds stored earlier.
  const cast = [...p.cast.entries()].filter(([key, row]) => {
    const member = p.members.get(key);
    if (member) Object.assign(member, row);
    return !member;
  });
  const touched = [...p.touched.values()].filter((t) => {
    const round = p.opened.get(t.consultation_id);
    if (round) Object.assign(round, { stream_version: t.stream_version, position: t.position }, t.tally ? { tally: t.tally } : {});
    return !round;
  });
  await insertRecords(db, 'read_models.consultations', ROUND_COLUMNS, [...p.opened.values()]);
  await insertNewRecords(db, 'read_models.consultation_electorate', MEMBER_COLUMNS, [...p.members.values()]);
  // Drafts approved in the transaction that drafted them are inserted approved; the UPDATE is for drafts stored earlier.
  const approved = new Set(p.approved.map((a) => `${a.consultation_id}\u0000${a.draft_id}`));
  const drafted = new Set<string>();
  for (const draft of p.drafts) {
    const key = `${draft.consultation_id as string}\u0000${draft.draft_id as string}`;
    drafted.add(key);
    draft.approved = approved.has(key);
  }
  await insertRecords(db, 'read_models.consultation_drafts', DRAFT_COLUMNS, p.drafts, 'ON CONFLICT DO NOTHING');
  await withRows(
    db,
    CAST_COLUMNS,
    cast.map(([, row]) => row),
    'c',
    (cast) => `UPDATE read_models.consultation_electorate e SET stance = c.stance, reason = c.reason, draft_id = c.draft_id,
         cast_by_organisation_id = c.cast_by_organisation_id, mandate_id = c.mandate_id, cast_at = c.cast_at
        FROM ${cast} WHERE e.consultation_id = c.consultation_id AND e.organisation_id = c.organisation_id`,
  );
  await insertNewRecords(db, 'read_models.consultation_stances', STANCE_COLUMNS, p.stances);
  await withRows(
    db,
    [
      ['consultation_id', 'text'],
      ['draft_id', 'text'],
    ],
    p.approved.filter((a) => !drafted.has(`${a.consultation_id}\u0000${a.draft_id}`)),
    'a',
    (approved) =>
      `UPDATE read_models.consultation_drafts d SET approved = true FROM ${approved} WHERE d.consultation_id = a.consultation_id AND d.draft_id = a.draft_id`,
  );
  await withRows(
    db,
    [
      ['consultation_id', 'text'],
      ['stream_version', 'bigint'],
      ['position', 'text'],
      ['tally', 'jsonb'],
    ],
    touched,
    't',
    (touched) => `UPDATE read_models.consultations c SET stream_version = t.stream_version, position = t.position, tally = coalesce(t.tally, c.tally)
        FROM ${touched} WHERE c.consultation_id = t.consultation_id`,
  );
}

/** A change; its tally only when results are visible (not hidden, or closed). */
function change(
  id: string,
  type: string,
  position: string,
  resultsHidden: boolean,
  status: 'open' | 'closed',
  tally: Tally,
  organisationId: string | null = null,
): ReadModelChange {
  const visible = !resultsHidden || status === 'closed';
  return {
    entity: 'consultation',
    id,
    change: type,
    position,
    // Canonical (sorted keys): the same tally reads the same whether it was folded in memory or came back from jsonb.
    scope: { resultsHidden: String(resultsHidden), status, tally: visible ? canonicalJson(tally) : null, organisationId },
  };
}
