/**
 * The projections defer their hot writes to the end of the projector's transaction (a rebuild
 * commits 500 events at a time). This checks that doing so changes nothing: one log, with every
 * event type the deferring projections handle interleaved the way a busy platform interleaves
 * them, projected once an event per transaction and once in batches of up to 500, gives equal
 * read models, row for row, and announces the same changes in the same order.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import type { EventMetadata } from '@kyogi/event-store/port';
import { Projector } from '@kyogi/read-models/projector';
import type { ReadModelChange } from '@kyogi/read-models/projection';
import { applyStanceChange, emptyTally, type Stance } from '@kyogi/domain/consultations/tally';
import { PROJECTIONS } from '../../apps/api/src/platform/projections';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { readModelDigests } from '../support/read-models';

jest.setTimeout(120_000);

/** Deterministic choices (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Org {
  readonly id: string;
  readonly personId: string;
  readonly prefectureCode: string | null;
}

interface LoggedEvent {
  readonly stream: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly by: Org;
}

/** About `steps` events: organisations, proposals, comments and reactions on them, consultations with drafts, casts, recasts and closes. */
function busyLog(seed: number, steps: number): LoggedEvent[] {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const log: LoggedEvent[] = [];
  const national: Org = { id: 'digital-agency', personId: 'p-da', prefectureCode: null };
  const municipalities: Org[] = ['011002', '012025', '013005', '131016', '131024', '131032', '271004'].map((id) => ({
    id,
    personId: `p-${id}`,
    prefectureCode: id.slice(0, 2),
  }));
  for (const org of [national, ...municipalities]) {
    const kind = org === national ? 'national' : 'municipality';
    log.push({
      stream: `Organisation-${org.id}`,
      type: 'OrganisationRegistered',
      data: {
        organisationId: org.id,
        kind,
        name: `団体 ${org.id}`,
        nameKana: null,
        code: org === national ? null : org.id,
        prefectureCode: org.prefectureCode,
        parentId: null,
        active: true,
        population: org === national ? null : 10_000 + Number(org.id.slice(2, 5)),
      },
      by: national,
    });
    log.push({
      stream: `Organisation-${org.id}`,
      type: 'MemberAdded',
      data: {
        organisationId: org.id,
        personId: org.personId,
        displayName: `職員 ${org.id}`,
        email: `staff@${org.id}.example.jp`,
        roles: ['member', 'approver'],
      },
      by: national,
    });
  }

  const proposals: { id: string; author: Org; revision: number; submitted: boolean }[] = [];
  const comments: { id: string; author: Org; edition: number; retracted: boolean; dispositions: number }[] = [];
  const rounds: { id: string; members: Org[]; stances: Map<string, Stance>; tally: ReturnType<typeof emptyTally>; closed: boolean }[] = [];
  const drafts: { round: (typeof rounds)[number]; draftId: string; org: Org; stance: Stance }[] = [];
  const changes = (revision: number) => [
    { changeId: `c${revision}`, kind: 'modify', requirementId: '2.1.1', requirementTitle: '要件', before: '旧', after: `新 ${revision}`, reason: '理由' },
  ];

  while (log.length < steps) {
    const roll = rnd();
    if (proposals.length === 0 || roll < 0.05) {
      const author = pick([national, ...municipalities]);
      const id = randomUUID();
      proposals.push({ id, author, revision: 1, submitted: false });
      const data = { proposalId: id, specId: 'juminkiroku', version: '4.0', title: `修文案 ${proposals.length}`, changes: changes(1) };
      log.push({
        stream: `Proposal-${id}`,
        type: 'ProposalDrafted',
        data: { ...data, authorPersonId: author.personId, authorOrganisationId: author.id },
        by: author,
      });
    } else if (roll < 0.1) {
      const p = pick(proposals);
      if (p.submitted) continue;
      if (rnd() < 0.5) {
        p.revision += 1;
        log.push({
          stream: `Proposal-${p.id}`,
          type: 'ProposalRevised',
          data: { proposalId: p.id, revision: p.revision, title: `改訂 ${p.revision}`, changes: changes(p.revision) },
          by: p.author,
        });
      } else {
        p.submitted = true;
        log.push({ stream: `Proposal-${p.id}`, type: 'ProposalSubmitted', data: { proposalId: p.id, revision: p.revision }, by: p.author });
      }
    } else if (roll < 0.45) {
      const by = pick(municipalities);
      const onSpec = rnd() < 0.1;
      const p = pick(proposals);
      const parent = comments.length && rnd() < 0.4 ? pick(comments) : null;
      const id = randomUUID();
      comments.push({ id, author: by, edition: 1, retracted: false, dispositions: 0 });
      log.push({
        stream: `Comment-${id}`,
        type: 'CommentPosted',
        data: {
          commentId: id,
          proposalId: onSpec ? null : p.id,
          specId: 'juminkiroku',
          version: '4.0',
          anchor: rnd() < 0.5 ? { kind: 'requirement', requirementId: '2.1.1' } : { kind: 'change', changeId: 'c1' },
          quote: rnd() < 0.3 ? { start: 0, end: 2, text: '住民' } : null,
          parentCommentId: parent?.id ?? null,
          body: `意見 ${comments.length}`,
          authorPersonId: by.personId,
          authorOrganisationId: by.id,
        },
        by,
      });
    } else if (roll < 0.7) {
      if (!comments.length) continue;
      const c = pick(comments);
      const by = pick(municipalities);
      const reaction = pick(['agree', 'disagree', null] as const);
      log.push({ stream: `Comment-${c.id}`, type: 'ReactionChanged', data: { commentId: c.id, personId: by.personId, organisationId: by.id, reaction }, by });
    } else if (roll < 0.76) {
      if (!comments.length) continue;
      const c = pick(comments);
      if (c.retracted) continue;
      const kind = rnd();
      if (kind < 0.5) {
        c.edition += 1;
        log.push({
          stream: `Comment-${c.id}`,
          type: 'CommentEdited',
          data: { commentId: c.id, body: `改めた意見 ${c.edition}`, edition: c.edition },
          by: c.author,
        });
      } else if (kind < 0.8) {
        c.dispositions += 1;
        log.push({
          stream: `Comment-${c.id}`,
          type: 'CommentDisposed',
          data: { commentId: c.id, disposition: '今後検討', answer: `回答 ${c.dispositions}`, revision: c.dispositions },
          by: national,
        });
      } else {
        c.retracted = true;
        log.push({ stream: `Comment-${c.id}`, type: 'CommentRetracted', data: { commentId: c.id, reason: '取り下げ' }, by: c.author });
      }
    } else if (roll < 0.8) {
      const submitted = proposals.filter((p) => p.submitted);
      if (!submitted.length || rounds.filter((r) => !r.closed).length >= 2) continue;
      const p = pick(submitted);
      const id = randomUUID();
      const members = municipalities.filter(() => rnd() < 0.8);
      const electorate = members.map((m, i) => ({ organisationId: m.id, weight: 1 + (i % 3) }));
      rounds.push({ id, members, stances: new Map(), tally: emptyTally(electorate), closed: false });
      log.push({
        stream: `Consultation-${id}`,
        type: 'ConsultationOpened',
        data: {
          consultationId: id,
          proposalId: p.id,
          specId: 'juminkiroku',
          openedByPersonId: national.personId,
          openedByOrganisationId: national.id,
          openedAt: '2026-04-01T00:00:00.000Z',
          electorate,
          weighting: 'population',
          quorumPercent: 50,
          thresholdPercent: 50,
          thresholdBasis: 'approve_of_approve_and_object',
          blockVetoes: false,
          closesAt: '2026-05-01T00:00:00.000Z',
          resultsHidden: rnd() < 0.3,
          ladderId: null,
          stage: null,
        },
        by: national,
      });
    } else if (roll < 0.9) {
      const open = rounds.filter((r) => !r.closed);
      if (!open.length) continue;
      const round = pick(open);
      const org = pick(round.members);
      const draftId = randomUUID();
      const stance = pick(['approve', 'object', 'abstain'] as const);
      drafts.push({ round, draftId, org, stance });
      const common = {
        consultationId: round.id,
        draftId,
        organisationId: org.id,
        castByOrganisationId: org.id,
        mandateId: null,
        stance,
        reason: rnd() < 0.5 ? '理由' : null,
      };
      log.push({ stream: `Consultation-${round.id}`, type: 'StanceDrafted', data: { ...common, draftedByPersonId: org.personId }, by: org });
    } else if (roll < 0.97) {
      const waiting = drafts.filter((d) => !d.round.closed);
      if (!waiting.length) continue;
      const draft = pick(waiting);
      drafts.splice(drafts.indexOf(draft), 1);
      const { round, org, stance } = draft;
      const previous = round.stances.get(org.id) ?? null;
      const weight = 1 + (round.members.indexOf(org) % 3);
      round.tally = applyStanceChange(round.tally, weight, previous, stance);
      round.stances.set(org.id, stance);
      log.push({
        stream: `Consultation-${round.id}`,
        type: 'StanceCast',
        data: {
          consultationId: round.id,
          draftId: draft.draftId,
          organisationId: org.id,
          castByOrganisationId: org.id,
          mandateId: null,
          stance,
          reason: null,
          approvedByPersonId: org.personId,
          supersedes: previous,
        },
        by: org,
      });
    } else {
      const open = rounds.filter((r) => !r.closed);
      if (!open.length) continue;
      const round = pick(open);
      round.closed = true;
      log.push({
        stream: `Consultation-${round.id}`,
        type: 'ConsultationClosed',
        data: {
          consultationId: round.id,
          outcome: { decision: 'approved', quorumMet: true },
          tally: round.tally,
          closedAt: '2026-04-20T00:00:00.000Z',
          early: true,
          reason: '全団体回答',
          closedByPersonId: national.personId,
        },
        by: national,
      });
    }
  }
  return log;
}

async function project(storeUrl: string, targetUrl: string, maxBatch: number) {
  const store = await PostgresEventStore.connect({ connectionString: storeUrl, idlePollMs: 20 });
  const pool = new Pool({ connectionString: targetUrl, max: 2 });
  const changes: ReadModelChange[] = [];
  let commits = 0;
  const projector = new Projector({ store, pool, projections: PROJECTIONS, maxBatch, publish: (c) => changes.push(...c), onProgress: () => commits++ });
  try {
    await projector.start();
    await projector.waitFor(await store.headPosition(), 60_000);
  } finally {
    await projector.stop();
    await pool.end();
    await store.close();
  }
  return { changes, commits };
}

describe('projecting in batches (embedded PostgreSQL)', () => {
  let storeDb: { url: string; drop(): Promise<void> };
  let batchedDb: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    storeDb = await createTestDatabase(embeddedServerUrl(), 'batch_store');
    batchedDb = await createTestDatabase(embeddedServerUrl(), 'batch_rebuilt');
  });

  afterAll(async () => {
    await storeDb?.drop();
    await batchedDb?.drop();
  });

  it('gives the same read models and announces the same changes as projecting one event per transaction', async () => {
    const store = await PostgresEventStore.connect({ connectionString: storeDb.url });
    let clock = Date.parse('2026-04-01T00:00:00.000Z');
    try {
      for (const e of busyLog(20261123, 900)) {
        clock += 1000;
        const metadata: EventMetadata = {
          actor: { personId: e.by.personId, organisationId: e.by.id, roles: ['member'] },
          correlationId: randomUUID(),
          causationId: randomUUID(),
          occurredAt: new Date(clock).toISOString(),
          schemaVersion: 1,
        };
        await store.appendToStream(e.stream, [{ id: randomUUID(), type: e.type, data: e.data, metadata }], 'any');
      }
    } finally {
      await store.close();
    }

    const one = await project(storeDb.url, storeDb.url, 1);
    const batched = await project(storeDb.url, batchedDb.url, 500);

    // Both ran as intended: every event its own commit, against a few large batches.
    expect(one.commits).toBeGreaterThanOrEqual(900);
    expect(batched.commits).toBeLessThan(20);

    const expected = await readModelDigests(storeDb.url);
    expect(await readModelDigests(batchedDb.url)).toEqual(expected);
    expect(batched.changes).toEqual(one.changes);

    // The log reached every path of the deferring projections.
    for (const table of ['comments', 'comment_editions', 'comment_reactions', 'comment_dispositions', 'consultation_stances', 'consultation_drafts']) {
      expect(expected[table].rows).toBeGreaterThan(0);
    }
    const kinds = new Set(one.changes.map((c) => c.change));
    for (const type of [
      'CommentPosted',
      'ReactionChanged',
      'CommentEdited',
      'CommentRetracted',
      'CommentDisposed',
      'StanceDrafted',
      'StanceCast',
      'ConsultationClosed',
      'ProposalSubmitted',
    ]) {
      expect(kinds).toContain(type);
    }
  });
});
