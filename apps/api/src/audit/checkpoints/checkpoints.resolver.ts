import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@kyogi/domain/shared/decider';
import { AuditFailedError, type AuditFinding } from '@kyogi/audit/checkpoint-writer';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { mutationActor } from '../../graphql/mutation-actor';
import { userErrors } from '../../graphql/user-errors';
import { toCheckpointView, type AuditCheckpointView } from './checkpoint.view';

const MAX_LAST = 500;

interface AuditStatusView {
  readonly ok: boolean;
  readonly failedSince: Date | null;
  readonly finding: AuditFinding | null;
  readonly latestCheckpoint: AuditCheckpointView | null;
}

@Resolver('Query')
export class AuditCheckpointsResolver {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Query('auditCheckpoints')
  async auditCheckpoints(@Context() context: RequestContext, @Args('last') last: number | null): Promise<AuditCheckpointView[]> {
    requireActor(context, 'audit.verify');
    const count = Math.max(1, Math.min(MAX_LAST, last ?? 20));
    const { checkpoints } = await this.platform.checkpoints.state();
    return checkpoints.slice(-count).reverse().map(toCheckpointView);
  }

  @Query('auditStatus')
  async auditStatus(@Context() context: RequestContext): Promise<AuditStatusView> {
    requireActor(context, 'audit.verify');
    const { checkpoints, failure } = await this.platform.checkpoints.state();
    const latest = checkpoints[checkpoints.length - 1];
    return {
      ok: failure === null,
      failedSince: failure ? new Date(failure.foundAt) : null,
      finding: failure?.finding ?? null,
      latestCheckpoint: latest ? toCheckpointView(latest) : null,
    };
  }

  @Query('auditKeys')
  async auditKeys(@Context() context: RequestContext): Promise<{ kid: string; x: string; retiredAt: Date | null }[]> {
    requireActor(context, 'audit.verify');
    return (await this.platform.checkpoints.keys()).map((k) => ({ kid: k.kid, x: k.x, retiredAt: k.retiredAt ? new Date(k.retiredAt) : null }));
  }
}

@Resolver('Mutation')
export class CreateAuditCheckpointResolver {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Mutation('createAuditCheckpoint')
  async createAuditCheckpoint(@Context() context: RequestContext): Promise<{ checkpoint: AuditCheckpointView | null; errors: ReturnType<typeof userErrors> }> {
    const actor = mutationActor(context, 'audit.checkpoint');
    if (actor instanceof DomainError) return { checkpoint: null, errors: userErrors(actor) };
    let checkpoint;
    try {
      checkpoint = await this.platform.checkpoints.checkpoint();
    } catch (error) {
      if (error instanceof AuditFailedError) return { checkpoint: null, errors: userErrors(new DomainError('AUDIT_FAILED', error.message)) };
      throw error;
    }
    if (!checkpoint)
      return {
        checkpoint: null,
        errors: userErrors(new DomainError('CHECKPOINT_CONFLICT', 'Other checkpoints kept being signed at the same time; try again.')),
      };
    return { checkpoint: toCheckpointView(checkpoint), errors: [] };
  }
}
