/**
 * Data the browser tests of the consultation, talent and audit pages set up through the API
 * (gqlData), so that each test drives the UI only for what it checks: a submitted proposal, a
 * round on it, a stance drafted and approved (決裁), a person with roles added to an organisation.
 */
import { randomUUID } from 'node:crypto';
import { demoLogin, gqlData } from '../../support/app-process';

export interface UserErrorBody {
  code: string;
  message: string;
  field: string | null;
}

/** Runs a mutation whose payload has `errors`; throws with them when there are any. */
export async function mutateOk<T = Record<string, any>>(
  url: string,
  token: string,
  name: string,
  inputType: string,
  input: Record<string, unknown>,
  selection = '',
): Promise<T & { position: string | null }> {
  const data = await gqlData(
    url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { position errors { code message field } ${selection} } }`,
    { input: { commandId: randomUUID(), ...input } },
    token,
  );
  const payload = data[name] as T & { position: string | null; errors: UserErrorBody[] };
  if (payload.errors.length) throw new Error(`${name}: ${JSON.stringify(payload.errors)}`);
  return payload;
}

/** A proposal on 住民記録システム標準仕様書 4.0 (requirement 2.1.3), drafted and submitted by the caller's organisation. */
export async function submittedProposal(url: string, token: string, title: string): Promise<{ proposalId: string; position: string }> {
  const drafted = await mutateOk<{ proposal: { id: string } }>(
    url,
    token,
    'draftProposal',
    'DraftProposalInput',
    {
      specId: 'juminkiroku',
      specVersion: '4.0',
      title,
      changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '旧氏の記載の有無を選択できる必要があるため' }],
    },
    'proposal { id }',
  );
  // Selecting the proposal makes the mutation read its own write: a round can be opened on it at once.
  const submitted = await mutateOk(url, token, 'submitProposal', 'SubmitProposalInput', { proposalId: drafted.proposal.id }, 'proposal { status }');
  return { proposalId: drafted.proposal.id, position: submitted.position! };
}

/** A lone round over these organisations, closing in an hour, opened by a national or prefecture coordinator. */
export async function openRound(
  url: string,
  token: string,
  proposalId: string,
  organisations: string[],
  options: { resultsHidden?: boolean } = {},
): Promise<{ consultationId: string; position: string }> {
  const opened = await mutateOk<{ consultationId: string }>(
    url,
    token,
    'openConsultation',
    'OpenConsultationInput',
    {
      proposalId,
      electorate: { organisations },
      quorumPercent: 50,
      thresholdPercent: 60,
      thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
      blockVetoes: true,
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      resultsHidden: options.resultsHidden ?? false,
    },
    'consultationId',
  );
  return { consultationId: opened.consultationId, position: opened.position! };
}

/** Drafts and approves a stance with one token (a person who is both member and approver). */
export async function castStance(url: string, token: string, consultationId: string, stance: string, reason: string | null = null): Promise<string> {
  const draft = await mutateOk<{ draftId: string }>(url, token, 'draftStance', 'DraftStanceInput', { consultationId, stance, reason }, 'draftId');
  const approved = await mutateOk(url, token, 'approveStance', 'ApproveStanceInput', { consultationId, draftId: draft.draftId });
  return approved.position!;
}

/** Adds a person with these roles to an organisation (as a national admin) and signs them in. */
export async function addPerson(url: string, adminToken: string, organisationId: string, label: string, roles: string[]): Promise<string> {
  const email = `${label}-${randomUUID().slice(0, 8)}@${organisationId}.example.jp`;
  await mutateOk(
    url,
    adminToken,
    'addMember',
    'AddMemberInput',
    { organisationId, displayName: `${label} ${organisationId}`, email, roles },
    'member { personId }',
  );
  return demoLogin(url, email);
}

/** Reads until `ok` accepts what was read; fails naming `what` and the last value read (so a wrong number shows). */
export async function until<V>(what: string, read: () => Promise<V>, ok: (value: V) => boolean, timeoutMs = 20_000): Promise<V> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last read: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Waits until no "loading" status is left on the page (a page may load several parts at once). */
export async function settled(page: import('playwright-core').Page): Promise<void> {
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
    return !Array.from(doc.querySelectorAll('[role="status"]')).some((e) => (e.textContent ?? '').includes('読み込み中'));
  });
}
