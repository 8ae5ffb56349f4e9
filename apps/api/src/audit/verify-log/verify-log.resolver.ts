import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import type { VerifyReport } from '@kyogi/audit/verify';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { toCheckpointView, type AuditCheckpointView } from '../checkpoints/checkpoint.view';
import { verifyWholeLog } from './verify-whole-log';

export interface AuditVerificationView {
  readonly ok: boolean;
  readonly eventCount: number;
  readonly streamCount: number;
  readonly firstMismatch: { streamName: string; revision: string; position: string; reason: string; message: string } | null;
  readonly checkpoint: AuditCheckpointView | null;
  readonly problems: VerifyReport['problems'];
  readonly notes: readonly string[];
  readonly verifiedAt: Date;
}

@Resolver('Query')
export class VerifyAuditLogResolver {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  /** The whole log, checked as the verify CLI checks an export (see verifyWholeLog); a mismatch marks the audit failed. */
  @Query('verifyAuditLog')
  async verifyAuditLog(@Context() context: RequestContext): Promise<AuditVerificationView> {
    requireActor(context, 'audit.verify');
    const { store, checkpoints: writer, clock } = this.platform;
    const { report, checkpoint: latest, verifiedAt } = await verifyWholeLog({ store, writer, clock });
    const mismatch = report.firstMismatch;
    return {
      ok: report.ok,
      eventCount: report.eventCount,
      streamCount: report.streamCount,
      firstMismatch: mismatch && {
        streamName: mismatch.streamName,
        revision: String(mismatch.revision),
        position: String(mismatch.position),
        reason: mismatch.reason,
        message: mismatch.message,
      },
      checkpoint: latest ? toCheckpointView(latest) : null,
      problems: report.problems,
      notes: report.notes,
      verifiedAt,
    };
  }
}
