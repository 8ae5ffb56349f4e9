import { isDomainError } from '@kyogi/domain/shared/decider';
import type { ProposalChange } from '@kyogi/domain/proposals/proposals.events';
import { applyDiff } from '@kyogi/domain/text/diff';
import { proposalDiff, type ProposalDiffView } from './proposal-diff';

const BEFORE = '住民票の写しを交付できること。';
const modify: ProposalChange = {
  changeId: 'c1',
  kind: 'modify',
  requirementId: '2.1.3',
  requirementTitle: '住民票の写しの交付',
  before: BEFORE,
  after: '住民票の写しをコンビニエンスストアでも交付できること。',
  reason: 'コンビニ交付',
};
const remove: ProposalChange = {
  changeId: 'c2',
  kind: 'delete',
  requirementId: '9.9.1',
  requirementTitle: '独自帳票',
  before: '独自の帳票を出力しないこと。',
  after: null,
  reason: '別途',
};
const add: ProposalChange = {
  changeId: 'c3',
  kind: 'add',
  requirementId: '2.1.10',
  requirementTitle: null,
  before: null,
  after: '交付履歴を照会できること。',
  reason: '監査',
};
const modify2: ProposalChange = { ...modify, after: '住民票の写しを郵送でも交付できること。' };

const revisions = new Map([
  [1, [modify, remove]],
  [2, [modify2, add]],
]);
const ok = (result: ReturnType<typeof proposalDiff>): ProposalDiffView => {
  if (isDomainError(result)) throw new Error(result.message);
  return result;
};
const lower = (op: string) => op.toLowerCase() as 'equal' | 'insert' | 'delete';

describe('proposalDiff', () => {
  it('diffs the current revision against the base by default: applying each change’s segments to its before gives its after', () => {
    const diff = ok(proposalDiff(revisions, 2, null, null));
    expect(diff).toMatchObject({ revision: 2, against: null, requirements: [] });
    expect(diff.changes.map((c) => [c.changeId, c.kind, c.before, c.after])).toEqual([
      ['c1', 'MODIFY', BEFORE, '住民票の写しを郵送でも交付できること。'],
      ['c3', 'ADD', '', '交付履歴を照会できること。'],
    ]);
    for (const change of diff.changes) {
      expect(
        applyDiff(
          change.before,
          change.segments.map((s) => ({ op: lower(s.op), text: s.text })),
        ),
      ).toBe(change.after);
    }
    expect(diff.changes[0].segments).toEqual([
      { op: 'EQUAL', text: '住民票の写しを' },
      { op: 'INSERT', text: '郵送でも' },
      { op: 'EQUAL', text: '交付できること。' },
    ]);
  });

  it('diffs a deletion as the whole base text deleted', () => {
    const diff = ok(proposalDiff(revisions, 2, 1, undefined));
    expect(diff.changes[1]).toMatchObject({ changeId: 'c2', kind: 'DELETE', after: '', segments: [{ op: 'DELETE', text: '独自の帳票を出力しないこと。' }] });
  });

  it('diffs two revisions per requirement, in requirement-id order', () => {
    const diff = ok(proposalDiff(revisions, 2, 2, 1));
    expect(diff).toMatchObject({ revision: 2, against: 1, changes: [] });
    expect(diff.requirements.map((r) => [r.requirementId, r.status, r.fromChange?.changeId ?? null, r.toChange?.changeId ?? null])).toEqual([
      ['2.1.3', 'MODIFIED', 'c1', 'c1'],
      ['2.1.10', 'ADDED', null, 'c3'],
      ['9.9.1', 'REMOVED', 'c2', null],
    ]);
    const from = modify.after!;
    expect(
      applyDiff(
        from,
        diff.requirements[0].segments.map((s) => ({ op: lower(s.op), text: s.text })),
      ),
    ).toBe(modify2.after);
  });

  it('refuses a revision that does not exist, naming the argument', () => {
    for (const [revision, against, field] of [
      [3, null, 'revision'],
      [2, 0, 'against'],
    ] as const) {
      const result = proposalDiff(revisions, 2, revision, against);
      expect(isDomainError(result) && { code: result.code, field: result.field }).toEqual({ code: 'REVISION_NOT_FOUND', field });
    }
  });
});
