import type { Actor } from '@kyogi/domain/shared/decider';
import { specDecider } from '@kyogi/domain/specs/specs.decider';
import type { CreateSpec, CreateSpecData } from '@kyogi/domain/specs/specs.commands';
import { JUMIN_KIROKU_MARKDOWN } from '@kyogi/domain/specs-import/jumin-kiroku.sample';
import type { EventStore } from '@kyogi/event-store/port';
import { decideAndAppend } from '../../command-handling/decide-and-append';
import type { Clock } from '../../platform/tokens';
import { importSpecVersion, noProposals } from '../import-spec-version/import-spec-version';

/** The demo's spec: something to deliberate on from the first start. */
export const DEMO_SPEC: CreateSpecData = {
  specId: 'juminkiroku',
  title: '住民記録システム標準仕様書',
  domain: '住民記録',
  ownerOrganisationId: 'digital-agency',
};
export const DEMO_SPEC_VERSION = '4.0';

/**
 * Creates 住民記録システム標準仕様書 (owned by デジタル庁) and imports version 4.0 from the
 * 住民記録 sample, through the same paths as createSpec and importSpecVersion, as `actor` (the
 * seed's platform operator, an admin of デジタル庁). Fixed command ids: a run cut short resumes
 * without storing anything twice, and a later run answers as the first.
 */
export async function seedDemoSpecs(store: EventStore, clock: Clock, actor: Actor): Promise<void> {
  const create: CreateSpec = {
    type: 'CreateSpec',
    data: DEMO_SPEC,
    metadata: { commandId: `seed-demo:spec:${DEMO_SPEC.specId}`, now: clock(), actor },
  };
  const created = await decideAndAppend(store, specDecider, DEMO_SPEC.specId, create);
  if (!created.ok) throw new Error(`seed: spec ${DEMO_SPEC.specId}: ${created.error.code} ${created.error.message}`);
  const imported = await importSpecVersion({ store, clock, proposals: noProposals }, actor, {
    commandId: `seed-demo:spec:${DEMO_SPEC.specId}:${DEMO_SPEC_VERSION}`,
    specId: DEMO_SPEC.specId,
    version: DEMO_SPEC_VERSION,
    format: 'markdown',
    content: JUMIN_KIROKU_MARKDOWN,
    incorporatedProposalIds: [],
  });
  if (imported.errors.length) {
    throw new Error(`seed: spec ${DEMO_SPEC.specId} ${DEMO_SPEC_VERSION}: ${imported.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
  }
}
