import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { Pool } from 'pg';
import { DomainError } from '@kyogi/domain/shared/decider';
import type { EventStore } from '@kyogi/event-store/port';
import { CLOCK, EVENT_STORE, READ_DB, type Clock } from '../../platform/tokens';
import { mutationActor } from '../../graphql/mutation-actor';
import { userErrors } from '../../graphql/user-errors';
import type { RequestContext } from '../../graphql/request-context';
import type { ImportSpecVersionInput } from '../../graphql/generated/schema-types';
import { failedPayload, type SpecMutationPayload } from '../payloads';
import { importSpecVersion, proposalsFromReadModel, type ImportDependencies } from './import-spec-version';

@Resolver('Mutation')
export class ImportSpecVersionResolver {
  private readonly deps: ImportDependencies;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(READ_DB) db: Pool, @Inject(CLOCK) clock: Clock) {
    this.deps = { store, clock, proposals: proposalsFromReadModel(db) };
  }

  /**
   * Any signed-in role gets this far (spec.read); the use case then checks spec.publishVersion on
   * the spec's owner organisation, which it reads from the spec's stream.
   */
  @Mutation('importSpecVersion')
  async importSpecVersion(@Context() context: RequestContext, @Args('input') input: ImportSpecVersionInput): Promise<SpecMutationPayload> {
    const actor = mutationActor(context, 'spec.read');
    if (actor instanceof DomainError) return failedPayload(actor);
    const result = await importSpecVersion(this.deps, actor, {
      commandId: input.commandId ?? randomUUID(),
      specId: input.specId.trim(),
      version: input.version,
      format: input.format === 'CSV' ? 'csv' : 'markdown',
      content: input.content,
      incorporatedProposalIds: input.incorporatedProposalIds ?? [],
    });
    return {
      specId: result.published?.specId ?? null,
      version: result.published?.version ?? null,
      position: result.position,
      errors: result.errors.flatMap(userErrors),
    };
  }
}
