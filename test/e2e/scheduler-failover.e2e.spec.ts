/**
 * The schedulers across instances and restarts: two api instances on one PostgreSQL; a lone round
 * and a ladder's first stage are due a few seconds later; the instance that holds the projector
 * lease (and so runs the closing and ladder schedulers) is SIGKILLed before they are due. The
 * survivor closes the round and the stage, and opens the next stage, by itself; then a third
 * instance starts on the same database — and every step is recorded exactly once in the store.
 */
import { randomUUID } from 'node:crypto';
import { consultationStreamName } from '@kyogi/domain/consultations/consultations.events';
import { ladderStreamName } from '@kyogi/domain/ladders/ladders.events';
import { PostgresEventStore } from '@kyogi/event-store/postgres/postgres.event-store';
import { createTestDatabase, embeddedServerUrl } from '../support/databases';
import { demoLogin, gqlData, makeDataDir, startApp, stopAllApps, type AppProcess } from '../support/app-process';

jest.setTimeout(180_000);

const ADMIN = 'admin@digital.example.jp';
let database: { url: string; drop(): Promise<void> };
let dataDir: string;
let a: AppProcess;
let b: AppProcess;
let token: string;

const shared = () => ({ databaseUrl: database.url, dataDir, env: { REDIS_URL: process.env.REDIS_URL } });

beforeAll(async () => {
  database = await createTestDatabase(embeddedServerUrl(), 'failover');
  dataDir = makeDataDir('failover');
  a = await startApp({ ...shared(), seedDemo: true }); // first: takes the projector lease
  b = await startApp(shared());
  token = await demoLogin(b.url, ADMIN);
});

afterAll(async () => {
  await stopAllApps();
  await database?.drop();
});

async function mutate(app: AppProcess, name: string, inputType: string, input: Record<string, unknown>, selection: string) {
  const data = await gqlData(app.url, `mutation ($input: ${inputType}!) { ${name}(input: $input) { errors { code message } ${selection} } }`, { input }, token);
  expect(data[name].errors).toEqual([]);
  return data[name];
}

async function submittedProposal(app: AppProcess, title: string): Promise<string> {
  const drafted = await mutate(
    app,
    'draftProposal',
    'DraftProposalInput',
    {
      commandId: randomUUID(),
      specId: 'juminkiroku',
      specVersion: '4.0',
      title,
      changes: [{ kind: 'MODIFY', requirementId: '2.1.3', after: '旧氏の記載の有無を選択できること。', reason: '選択制とするため' }],
    },
    'proposal { id }',
  );
  await mutate(app, 'submitProposal', 'SubmitProposalInput', { proposalId: drafted.proposal.id }, 'proposal { status }');
  return drafted.proposal.id;
}

async function ready(app: AppProcess): Promise<Record<string, string>> {
  return ((await (await fetch(`${app.url}/health/ready`)).json()) as { checks: Record<string, string> }).checks;
}

it('closes due rounds and advances ladders on the survivor when the scheduler instance dies, each step once', async () => {
  const lone = await submittedProposal(b, '単独の協議');
  const laddered = await submittedProposal(b, 'ラダーの協議');
  const closesAt = new Date(Date.now() + 8_000);
  const round = await mutate(
    b,
    'openConsultation',
    'OpenConsultationInput',
    {
      commandId: randomUUID(),
      proposalId: lone,
      electorate: { organisations: ['133078', '011002'] },
      quorumPercent: 50,
      thresholdPercent: 50,
      thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT',
      blockVetoes: false,
      closesAt: closesAt.toISOString(),
      resultsHidden: false,
    },
    'consultationId',
  );
  const rules = { quorumPercent: 50, thresholdPercent: 50, thresholdBasis: 'APPROVE_OF_APPROVE_AND_OBJECT', blockVetoes: false, resultsHidden: false };
  await mutate(
    b,
    'chooseLadder',
    'ChooseLadderInput',
    {
      proposalId: laddered,
      stages: [
        { kind: 'PREFECTURAL_ROUNDS', prefectureIds: ['310000'], rules: { ...rules, durationSeconds: 8 } },
        { kind: 'PREFECTURES_ROUND', rules: { ...rules, durationSeconds: 3600 } },
        { kind: 'NATIONAL_DECISION' },
      ],
    },
    'ladderId',
  );

  expect((await ready(a)).projections).toBe('caught up');
  const killedAt = Date.now();
  await a.kill(); // SIGKILL: the lease holder dies with both due in a few seconds
  expect(killedAt).toBeLessThan(closesAt.getTime());

  const seen = async () =>
    (await gqlData(
      b.url,
      'query ($c: ID!, $l: ID!) { consultation(id: $c) { status closedAt } ladder(id: $l) { currentStage stages { status } } }',
      { c: round.consultationId, l: laddered },
      token,
    )) as { consultation: { status: string; closedAt: string | null }; ladder: { currentStage: number; stages: { status: string }[] } };
  let state = await seen();
  const deadline = Date.now() + 30_000;
  // Closing stage 1 and opening stage 2 are two appends: between them the ladder already points at
  // stage 2 while it is still PENDING, so wait for the opening itself.
  const advanced = () => state.ladder.stages[1]?.status === 'OPEN';
  while ((state.consultation.status !== 'CLOSED' || !advanced()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    state = await seen();
  }
  expect(state.consultation.status).toBe('CLOSED');
  expect(state.ladder.stages.map((s) => s.status)).toEqual(['CLOSED', 'OPEN', 'PENDING']);
  expect(state.ladder.currentStage).toBe(2);
  console.info(`[e2e figures] failover: the survivor closed the round ${Date.parse(state.consultation.closedAt!) - closesAt.getTime()} ms after closesAt`);

  // A third instance on the same database: it stands by, and nothing is closed or opened again.
  const c = await startApp(shared());
  await new Promise((r) => setTimeout(r, 3_000)); // three scheduler passes of the lease holder
  expect((await ready(c)).projections).not.toBe('caught up'); // b still holds the lease
  const store = await PostgresEventStore.connect({ connectionString: database.url });
  try {
    const types = async (stream: string) => (await store.readStream(stream)).map((e) => e.type);
    expect((await types(consultationStreamName(round.consultationId))).filter((t) => t === 'ConsultationClosed')).toHaveLength(1);
    expect(await types(ladderStreamName(laddered))).toEqual(['LadderChosen', 'LadderStageOpened', 'LadderStageClosed', 'LadderStageOpened']);
  } finally {
    await store.close();
  }
});
