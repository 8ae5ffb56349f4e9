import type { PoolClient } from 'pg';
import { formatPosition, type RecordedEvent } from '@kyogi/event-store/port';
import type { CostTable } from '@kyogi/domain/talent/cost-split';
import type { TalentArrangementEvent, Terms } from '@kyogi/domain/talent/arrangements.events';
import type { TalentPoolEvent } from '@kyogi/domain/talent/pools.events';
import type { Projection, ReadModelChange } from '../projection';

/**
 * Talent-sharing arrangements (人材シェアリング) and prefectural talent pools.
 *
 * - `talent_arrangements`: one row per arrangement with its phase and its current terms version
 *   (term, cost, host, rule, subsidy totals), the version last agreed (in force) and
 *   `prefecture_codes` — the prefectures of the current participants and of the proposer — for
 *   "arrangements by prefecture" (`prefecture_codes @> ARRAY[$1]`, GIN-indexed).
 * - `talent_participants`: the participants of the current version, in terms order, with their
 *   share before and after the subsidy and their answer to the current version (NULL: pending).
 *   Replaced at every new version, so "arrangements by participant" sees current participants only.
 * - `talent_terms_versions`: every version with its terms and cost table as recorded (JSON), what
 *   changed, who changed it and why, and when it was agreed.
 * - `talent_consents`: each participant's latest answer to each version (a decline may be
 *   followed by a consent to the same version). Answers to versions below the arrangement's
 *   `terms_version` are void.
 * - `talent_problems`, `talent_candidates`, `talent_checklist`: the guidebook steps. Candidates
 *   hold personal data (a name and a reference): keep them out of lists and live notifications.
 * - `talent_pools`, `talent_pool_people`, `talent_dispatches`: pools, the people a prefecture
 *   employs with their capacity, and their dispatches (end_date as currently in force).
 *
 * Dates (`date` columns) are days in Japan: select them as `::text` — node-postgres turns a
 * `date` into a Date at local midnight. Yen are `bigint` (node-postgres returns them as strings).
 *
 * Changes are announced as entity 'talentArrangement' (scope: phase, termsVersion, proposer,
 * host, and the participant concerned) and 'talentPool' (scope: its prefecture and, for a
 * dispatch, the organisation served). No scope ever carries a candidate's or a person's name.
 */
export const talentProjection: Projection = {
  name: 'talent',
  version: 1,
  tables: [
    'read_models.talent_dispatches',
    'read_models.talent_pool_people',
    'read_models.talent_pools',
    'read_models.talent_checklist',
    'read_models.talent_candidates',
    'read_models.talent_problems',
    'read_models.talent_consents',
    'read_models.talent_terms_versions',
    'read_models.talent_participants',
    'read_models.talent_arrangements',
  ],

  async migrate(db: PoolClient): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS read_models.talent_arrangements (
        arrangement_id            text PRIMARY KEY,
        role                      text NOT NULL,
        skills                    text[] NOT NULL,
        proposer_organisation_id  text NOT NULL,
        -- municipality | prefecture
        proposer_kind             text NOT NULL,
        proposer_prefecture_code  text,
        proposed_by_person_id     text NOT NULL,
        proposed_at               timestamptz NOT NULL,
        -- problems | requirements | selection | onboarding | active | ended
        phase                     text NOT NULL,
        -- The current terms version.
        terms_version             integer NOT NULL,
        start_date                date NOT NULL,
        end_date                  date NOT NULL,
        annual_cost_yen           bigint NOT NULL,
        host_organisation_id      text NOT NULL,
        -- equal | population | allotted_days
        split_rule                text NOT NULL,
        subsidy_percent           integer NOT NULL,
        subsidy_total_yen         bigint NOT NULL,
        net_total_yen             bigint NOT NULL,
        -- The latest version every participant consented to (in force); agreed when it equals terms_version.
        agreed_terms_version      integer,
        agreed_at                 timestamptz,
        prefecture_codes          text[] NOT NULL,
        requirements              jsonb NOT NULL DEFAULT '[]',
        selected_candidate_id     text,
        activated_at              timestamptz,
        ended_at                  timestamptz,
        ended_early               boolean,
        end_reason                text,
        proposed_position         text NOT NULL,
        stream_version            bigint NOT NULL,
        position                  text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS talent_arrangements_phase ON read_models.talent_arrangements (phase, proposed_position);
      CREATE INDEX IF NOT EXISTS talent_arrangements_prefectures ON read_models.talent_arrangements USING gin (prefecture_codes);
      CREATE INDEX IF NOT EXISTS talent_arrangements_host ON read_models.talent_arrangements (host_organisation_id);
      CREATE TABLE IF NOT EXISTS read_models.talent_participants (
        arrangement_id            text NOT NULL REFERENCES read_models.talent_arrangements (arrangement_id),
        organisation_id           text NOT NULL,
        -- Order in the current terms (it breaks rounding ties).
        ordinal                   integer NOT NULL,
        prefecture_code           text,
        population                bigint,
        days_per_month            integer NOT NULL,
        weight                    bigint NOT NULL,
        share_yen                 bigint NOT NULL,
        subsidy_yen               bigint NOT NULL,
        net_yen                   bigint NOT NULL,
        -- consented | declined, to the current version; NULL while pending.
        answer                    text,
        answer_reason             text,
        answered_by_person_id     text,
        answered_at               timestamptz,
        PRIMARY KEY (arrangement_id, organisation_id)
      );
      CREATE INDEX IF NOT EXISTS talent_participants_organisation ON read_models.talent_participants (organisation_id);
      CREATE TABLE IF NOT EXISTS read_models.talent_terms_versions (
        arrangement_id            text NOT NULL REFERENCES read_models.talent_arrangements (arrangement_id),
        terms_version             integer NOT NULL,
        terms                     jsonb NOT NULL,
        cost_table                jsonb NOT NULL,
        -- Empty for version 1.
        changes                   text[] NOT NULL,
        joined_organisation_ids   text[] NOT NULL,
        left_organisation_ids     text[] NOT NULL,
        voided_consents           text[] NOT NULL,
        -- NULL for version 1.
        reason                    text,
        created_by_person_id      text NOT NULL,
        created_by_organisation_id text NOT NULL,
        created_at                timestamptz NOT NULL,
        agreed_at                 timestamptz,
        position                  text NOT NULL,
        PRIMARY KEY (arrangement_id, terms_version)
      );
      CREATE TABLE IF NOT EXISTS read_models.talent_consents (
        arrangement_id            text NOT NULL REFERENCES read_models.talent_arrangements (arrangement_id),
        terms_version             integer NOT NULL,
        organisation_id           text NOT NULL,
        -- consented | declined
        answer                    text NOT NULL,
        reason                    text,
        answered_by_person_id     text NOT NULL,
        answered_at               timestamptz NOT NULL,
        position                  text NOT NULL,
        PRIMARY KEY (arrangement_id, terms_version, organisation_id)
      );
      CREATE TABLE IF NOT EXISTS read_models.talent_problems (
        arrangement_id            text NOT NULL REFERENCES read_models.talent_arrangements (arrangement_id),
        problem_id                text NOT NULL,
        organisation_id           text NOT NULL,
        ordinal                   integer NOT NULL,
        text                      text NOT NULL,
        listed_by_person_id       text NOT NULL,
        listed_at                 timestamptz NOT NULL,
        PRIMARY KEY (arrangement_id, problem_id)
      );
      CREATE TABLE IF NOT EXISTS read_models.talent_candidates (
        arrangement_id            text NOT NULL REFERENCES read_models.talent_arrangements (arrangement_id),
        candidate_id              text NOT NULL,
        name                      text NOT NULL,
        reference                 text NOT NULL,
        selected                  boolean NOT NULL DEFAULT false,
        added_by_person_id        text NOT NULL,
        added_at                  timestamptz NOT NULL,
        PRIMARY KEY (arrangement_id, candidate_id)
      );
      CREATE TABLE IF NOT EXISTS read_models.talent_checklist (
        arrangement_id            text NOT NULL REFERENCES read_models.talent_arrangements (arrangement_id),
        item_id                   text NOT NULL,
        ordinal                   integer NOT NULL,
        label                     text NOT NULL,
        done                      boolean NOT NULL DEFAULT false,
        completed_by_person_id    text,
        completed_at              timestamptz,
        PRIMARY KEY (arrangement_id, item_id)
      );
      CREATE TABLE IF NOT EXISTS read_models.talent_pools (
        pool_id                   text PRIMARY KEY,
        name                      text NOT NULL,
        prefecture_organisation_id text NOT NULL,
        opened_by_person_id       text NOT NULL,
        opened_at                 timestamptz NOT NULL,
        stream_version            bigint NOT NULL,
        position                  text NOT NULL
      );
      CREATE INDEX IF NOT EXISTS talent_pools_prefecture ON read_models.talent_pools (prefecture_organisation_id);
      CREATE TABLE IF NOT EXISTS read_models.talent_pool_people (
        pool_id                   text NOT NULL REFERENCES read_models.talent_pools (pool_id),
        pool_person_id            text NOT NULL,
        name                      text NOT NULL,
        reference                 text NOT NULL,
        capacity_days_per_month   integer NOT NULL,
        added_at                  timestamptz NOT NULL,
        PRIMARY KEY (pool_id, pool_person_id)
      );
      CREATE TABLE IF NOT EXISTS read_models.talent_dispatches (
        pool_id                   text NOT NULL REFERENCES read_models.talent_pools (pool_id),
        dispatch_id               text NOT NULL,
        pool_person_id            text NOT NULL,
        organisation_id           text NOT NULL,
        arrangement_id            text NOT NULL,
        days_per_month            integer NOT NULL,
        start_date                date NOT NULL,
        -- As in force: an early end moves it forward.
        end_date                  date NOT NULL,
        planned_end_date          date NOT NULL,
        end_reason                text,
        dispatched_by_person_id   text NOT NULL,
        dispatched_at             timestamptz NOT NULL,
        PRIMARY KEY (pool_id, dispatch_id)
      );
      CREATE INDEX IF NOT EXISTS talent_dispatches_person ON read_models.talent_dispatches (pool_id, pool_person_id, start_date);
      CREATE INDEX IF NOT EXISTS talent_dispatches_organisation ON read_models.talent_dispatches (organisation_id);
      CREATE INDEX IF NOT EXISTS talent_dispatches_arrangement ON read_models.talent_dispatches (arrangement_id);
    `);
  },

  async apply(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
    if (recorded.streamName.startsWith('TalentArrangement-')) return applyArrangement(recorded, db);
    if (recorded.streamName.startsWith('TalentPool-')) return applyPool(recorded, db);
    return [];
  },
};

interface ArrangementScope {
  phase: string;
  terms_version: number;
  proposer_organisation_id: string;
  host_organisation_id: string;
}

const SCOPE_COLUMNS = 'phase, terms_version, proposer_organisation_id, host_organisation_id';

async function applyArrangement(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
  const event = { type: recorded.type, data: recorded.data } as unknown as TalentArrangementEvent;
  const at = recorded.metadata.occurredAt;
  const version = recorded.revision.toString();
  const position = formatPosition(recorded.position);
  const id = event.data.arrangementId;
  /** Records the stream version and position on the arrangement, plus `set` (SQL from $4 on), and returns its scope. */
  const update = async (set = '', params: readonly unknown[] = []): Promise<ArrangementScope | undefined> => {
    const { rows } = await db.query<ArrangementScope>(
      `UPDATE read_models.talent_arrangements SET stream_version = $2, position = $3${set ? `, ${set}` : ''}
        WHERE arrangement_id = $1 RETURNING ${SCOPE_COLUMNS}`,
      [id, version, position, ...params],
    );
    return rows[0];
  };
  let scope: ArrangementScope | undefined;
  let organisationId: string | null = null;
  switch (event.type) {
    case 'TalentArrangementProposed': {
      const d = event.data;
      const t = d.terms;
      const { rows } = await db.query<ArrangementScope>(
        `INSERT INTO read_models.talent_arrangements (arrangement_id, role, skills, proposer_organisation_id, proposer_kind, proposer_prefecture_code,
           proposed_by_person_id, proposed_at, phase, terms_version, start_date, end_date, annual_cost_yen, host_organisation_id, split_rule, subsidy_percent,
           subsidy_total_yen, net_total_yen, prefecture_codes, proposed_position, stream_version, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'problems', $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $19)
         RETURNING ${SCOPE_COLUMNS}`,
        [
          id,
          d.role,
          d.skills,
          d.proposerOrganisationId,
          d.proposerKind,
          d.proposerPrefectureCode,
          d.proposedByPersonId,
          d.proposedAt,
          d.termsVersion,
          t.startDate,
          t.endDate,
          t.annualCostYen,
          t.hostOrganisationId,
          t.splitRule,
          t.subsidyPercent,
          d.costTable.subsidyTotalYen,
          d.costTable.netTotalYen,
          prefectureCodes(t, d.proposerPrefectureCode),
          position,
          version,
        ],
      );
      scope = rows[0];
      await replaceParticipants(db, id, t, d.costTable);
      await insertVersion(db, id, d.termsVersion, t, d.costTable, position, {
        changes: [],
        joined: [],
        left: [],
        voided: [],
        reason: null,
        byPerson: d.proposedByPersonId,
        byOrganisation: d.proposerOrganisationId,
        at: d.proposedAt,
      });
      break;
    }
    case 'TalentTermsChanged': {
      const d = event.data;
      const t = d.terms;
      const { rows } = await db.query<{ proposer_prefecture_code: string | null }>(
        'SELECT proposer_prefecture_code FROM read_models.talent_arrangements WHERE arrangement_id = $1',
        [id],
      );
      if (!rows[0]) return []; // never wedge on a stream whose first event this projection did not see
      scope = await update(
        `terms_version = $4, start_date = $5, end_date = $6, annual_cost_yen = $7, host_organisation_id = $8, split_rule = $9, subsidy_percent = $10,
         subsidy_total_yen = $11, net_total_yen = $12, prefecture_codes = $13`,
        [
          d.termsVersion,
          t.startDate,
          t.endDate,
          t.annualCostYen,
          t.hostOrganisationId,
          t.splitRule,
          t.subsidyPercent,
          d.costTable.subsidyTotalYen,
          d.costTable.netTotalYen,
          prefectureCodes(t, rows[0].proposer_prefecture_code),
        ],
      );
      await replaceParticipants(db, id, t, d.costTable);
      await insertVersion(db, id, d.termsVersion, t, d.costTable, position, {
        changes: d.changes,
        joined: d.joinedOrganisationIds,
        left: d.leftOrganisationIds,
        voided: d.voidedConsents,
        reason: d.reason,
        byPerson: d.changedByPersonId,
        byOrganisation: d.changedByOrganisationId,
        at: d.changedAt,
      });
      organisationId = d.changedByOrganisationId;
      break;
    }
    case 'TalentTermsConsented':
    case 'TalentTermsDeclined': {
      const d = event.data;
      const consented = event.type === 'TalentTermsConsented';
      const answer = consented ? 'consented' : 'declined';
      const reason = event.type === 'TalentTermsDeclined' ? event.data.reason : null;
      const byPerson = event.type === 'TalentTermsConsented' ? event.data.consentedByPersonId : event.data.declinedByPersonId;
      const answeredAt = event.type === 'TalentTermsConsented' ? event.data.consentedAt : event.data.declinedAt;
      await db.query(
        `INSERT INTO read_models.talent_consents (arrangement_id, terms_version, organisation_id, answer, reason, answered_by_person_id, answered_at, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (arrangement_id, terms_version, organisation_id) DO UPDATE
           SET answer = excluded.answer, reason = excluded.reason, answered_by_person_id = excluded.answered_by_person_id,
               answered_at = excluded.answered_at, position = excluded.position`,
        [id, d.termsVersion, d.organisationId, answer, reason, byPerson, answeredAt, position],
      );
      // Only an answer to the current version shows on the participant (the decider accepts no other).
      await db.query(
        `UPDATE read_models.talent_participants p SET answer = $4, answer_reason = $5, answered_by_person_id = $6, answered_at = $7
           FROM read_models.talent_arrangements a
          WHERE p.arrangement_id = $1 AND p.organisation_id = $2 AND a.arrangement_id = p.arrangement_id AND a.terms_version = $3`,
        [id, d.organisationId, d.termsVersion, answer, reason, byPerson, answeredAt],
      );
      scope = await update();
      organisationId = d.organisationId;
      break;
    }
    case 'TalentTermsAgreed': {
      const d = event.data;
      await db.query('UPDATE read_models.talent_terms_versions SET agreed_at = $3 WHERE arrangement_id = $1 AND terms_version = $2', [
        id,
        d.termsVersion,
        d.agreedAt,
      ]);
      scope = await update('agreed_terms_version = $4, agreed_at = $5', [d.termsVersion, d.agreedAt]);
      break;
    }
    case 'TalentProblemsListed': {
      const d = event.data;
      await db.query('DELETE FROM read_models.talent_problems WHERE arrangement_id = $1 AND organisation_id = $2', [id, d.organisationId]);
      await db.query(
        `INSERT INTO read_models.talent_problems (arrangement_id, problem_id, organisation_id, ordinal, text, listed_by_person_id, listed_at)
         SELECT $1, p.problem_id, $2, p.ordinal::int - 1, p.text, $3, $4
           FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS p (problem_id, text, ordinal)`,
        [id, d.organisationId, d.listedByPersonId, at, d.problems.map((p) => p.problemId), d.problems.map((p) => p.text)],
      );
      scope = await update();
      organisationId = d.organisationId;
      break;
    }
    case 'TalentRequirementsDefined':
      scope = await update(`requirements = $4::jsonb, phase = CASE WHEN phase = 'problems' THEN 'requirements' ELSE phase END`, [
        JSON.stringify(event.data.requirements),
      ]);
      break;
    case 'TalentSelectionOpened':
      scope = await update(`phase = 'selection'`);
      break;
    case 'TalentCandidateAdded': {
      const d = event.data;
      await db.query(
        `INSERT INTO read_models.talent_candidates (arrangement_id, candidate_id, name, reference, added_by_person_id, added_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, d.candidateId, d.name, d.reference, d.addedByPersonId, at],
      );
      scope = await update();
      break;
    }
    case 'TalentCandidateSelected': {
      const d = event.data;
      await db.query('UPDATE read_models.talent_candidates SET selected = true WHERE arrangement_id = $1 AND candidate_id = $2', [id, d.candidateId]);
      scope = await update(`phase = 'onboarding', selected_candidate_id = $4`, [d.candidateId]);
      break;
    }
    case 'TalentChecklistSet': {
      const d = event.data;
      const ids = d.items.map((item) => item.itemId);
      await db.query('DELETE FROM read_models.talent_checklist WHERE arrangement_id = $1 AND NOT (item_id = ANY($2::text[]))', [id, ids]);
      // Items kept by id stay done, as in the decider.
      await db.query(
        `INSERT INTO read_models.talent_checklist (arrangement_id, item_id, ordinal, label)
         SELECT $1, i.item_id, i.ordinal::int - 1, i.label FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS i (item_id, label, ordinal)
         ON CONFLICT (arrangement_id, item_id) DO UPDATE SET ordinal = excluded.ordinal, label = excluded.label`,
        [id, ids, d.items.map((item) => item.label)],
      );
      scope = await update();
      break;
    }
    case 'TalentChecklistItemCompleted': {
      const d = event.data;
      await db.query(
        'UPDATE read_models.talent_checklist SET done = true, completed_by_person_id = $3, completed_at = $4 WHERE arrangement_id = $1 AND item_id = $2',
        [id, d.itemId, d.completedByPersonId, d.completedAt],
      );
      scope = await update();
      break;
    }
    case 'TalentArrangementActivated':
      scope = await update(`phase = 'active', activated_at = $4`, [event.data.activatedAt]);
      break;
    case 'TalentArrangementEnded': {
      const d = event.data;
      scope = await update(`phase = 'ended', ended_at = $4, ended_early = $5, end_reason = $6`, [d.endedAt, d.early, d.reason]);
      break;
    }
    default:
      return [];
  }
  if (scope === undefined) return [];
  return [
    {
      entity: 'talentArrangement',
      id,
      change: event.type,
      position,
      scope: {
        phase: scope.phase,
        termsVersion: String(scope.terms_version),
        proposerOrganisationId: scope.proposer_organisation_id,
        hostOrganisationId: scope.host_organisation_id,
        organisationId,
      },
    },
  ];
}

/** The prefectures of the proposer and of the participants, distinct. */
function prefectureCodes(terms: Terms, proposerPrefectureCode: string | null): string[] {
  const codes = [proposerPrefectureCode, ...terms.participants.map((p) => p.prefectureCode)].filter((code): code is string => code !== null);
  return [...new Set(codes)];
}

/** The participants of the current version, with their shares: replaced as a whole, in one statement. */
async function replaceParticipants(db: PoolClient, id: string, terms: Terms, costTable: CostTable): Promise<void> {
  await db.query('DELETE FROM read_models.talent_participants WHERE arrangement_id = $1', [id]);
  const shares = new Map(costTable.shares.map((s) => [s.organisationId, s]));
  const ps = terms.participants;
  const share = (organisationId: string) => {
    const found = shares.get(organisationId);
    if (found === undefined) throw new Error(`Terms of ${id} name ${organisationId}, its cost table does not`);
    return found;
  };
  await db.query(
    `INSERT INTO read_models.talent_participants (arrangement_id, organisation_id, ordinal, prefecture_code, population, days_per_month, weight,
       share_yen, subsidy_yen, net_yen)
     SELECT $1, p.organisation_id, p.ordinal::int - 1, p.prefecture_code, p.population, p.days_per_month, p.weight, p.share_yen, p.subsidy_yen, p.net_yen
       FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
            WITH ORDINALITY AS p (organisation_id, prefecture_code, population, days_per_month, weight, share_yen, subsidy_yen, net_yen, ordinal)`,
    [
      id,
      ps.map((p) => p.organisationId),
      ps.map((p) => p.prefectureCode),
      ps.map((p) => p.population),
      ps.map((p) => p.daysPerMonth),
      ps.map((p) => share(p.organisationId).weight),
      ps.map((p) => share(p.organisationId).shareYen),
      ps.map((p) => share(p.organisationId).subsidyYen),
      ps.map((p) => share(p.organisationId).netYen),
    ],
  );
}

async function insertVersion(
  db: PoolClient,
  id: string,
  termsVersion: number,
  terms: Terms,
  costTable: CostTable,
  position: string,
  how: {
    changes: readonly string[];
    joined: readonly string[];
    left: readonly string[];
    voided: readonly string[];
    reason: string | null;
    byPerson: string;
    byOrganisation: string;
    at: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO read_models.talent_terms_versions (arrangement_id, terms_version, terms, cost_table, changes, joined_organisation_ids, left_organisation_ids,
       voided_consents, reason, created_by_person_id, created_by_organisation_id, created_at, position)
     VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      id,
      termsVersion,
      JSON.stringify(terms),
      JSON.stringify(costTable),
      how.changes,
      how.joined,
      how.left,
      how.voided,
      how.reason,
      how.byPerson,
      how.byOrganisation,
      how.at,
      position,
    ],
  );
}

async function applyPool(recorded: RecordedEvent, db: PoolClient): Promise<readonly ReadModelChange[]> {
  const event = { type: recorded.type, data: recorded.data } as unknown as TalentPoolEvent;
  const at = recorded.metadata.occurredAt;
  const version = recorded.revision.toString();
  const position = formatPosition(recorded.position);
  const id = event.data.poolId;
  let organisationId: string | null = null;
  switch (event.type) {
    case 'TalentPoolOpened': {
      const d = event.data;
      await db.query(
        `INSERT INTO read_models.talent_pools (pool_id, name, prefecture_organisation_id, opened_by_person_id, opened_at, stream_version, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, d.name, d.prefectureOrganisationId, d.openedByPersonId, d.openedAt, version, position],
      );
      break;
    }
    case 'PoolPersonAdded': {
      const d = event.data;
      await db.query(
        `INSERT INTO read_models.talent_pool_people (pool_id, pool_person_id, name, reference, capacity_days_per_month, added_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, d.poolPersonId, d.name, d.reference, d.capacityDaysPerMonth, at],
      );
      break;
    }
    case 'PoolPersonCapacityChanged': {
      const d = event.data;
      await db.query('UPDATE read_models.talent_pool_people SET capacity_days_per_month = $3 WHERE pool_id = $1 AND pool_person_id = $2', [
        id,
        d.poolPersonId,
        d.capacityDaysPerMonth,
      ]);
      break;
    }
    case 'PoolPersonDispatched': {
      const d = event.data;
      await db.query(
        `INSERT INTO read_models.talent_dispatches (pool_id, dispatch_id, pool_person_id, organisation_id, arrangement_id, days_per_month, start_date, end_date,
           planned_end_date, dispatched_by_person_id, dispatched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)`,
        [id, d.dispatchId, d.poolPersonId, d.organisationId, d.arrangementId, d.daysPerMonth, d.startDate, d.endDate, d.dispatchedByPersonId, d.dispatchedAt],
      );
      organisationId = d.organisationId;
      break;
    }
    case 'PoolDispatchEnded': {
      const d = event.data;
      const { rows } = await db.query<{ organisation_id: string }>(
        'UPDATE read_models.talent_dispatches SET end_date = $3, end_reason = $4 WHERE pool_id = $1 AND dispatch_id = $2 RETURNING organisation_id',
        [id, d.dispatchId, d.endDate, d.reason],
      );
      organisationId = rows[0]?.organisation_id ?? null;
      break;
    }
    default:
      return [];
  }
  const { rows } = await db.query<{ prefecture_organisation_id: string }>(
    'UPDATE read_models.talent_pools SET stream_version = $2, position = $3 WHERE pool_id = $1 RETURNING prefecture_organisation_id',
    [id, version, position],
  );
  if (!rows[0]) return [];
  return [{ entity: 'talentPool', id, change: event.type, position, scope: { prefectureOrganisationId: rows[0].prefecture_organisation_id, organisationId } }];
}
