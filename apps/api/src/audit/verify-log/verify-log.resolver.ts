import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import { writeExport } from '@kyogi/audit/export-format';
import { allEvents } from '@kyogi/audit/store-events';
import { verifyExport, type VerifyReport } from '@kyogi/audit/verify';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';
import { requireActor, type RequestContext } from '../../graphql/request-context';
import { toCheckpointView, type AuditCheckpointView } from '../checkpoints/checkpoint.view';

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

  /**
   * The whole log, checked as a third party checks an export of it (the same verifier as the
   * verify CLI): read page by page up to the head as it stood when the check began, never held
   * in memory.
   */
  @Query('verifyAuditLog')
  async verifyAuditLog(@Context() context: RequestContext): Promise<AuditVerificationView> {
    requireActor(context, 'audit.verify');
    const { store, checkpoints: writer, clock } = this.platform;
    const upTo = await store.headPosition();
    const { checkpoints, keys } = await writer.state();
    const verifiedAt = clock();
    const report = await verifyExport(
      () => writeExport({ scope: { kind: 'log' }, exportedAt: verifiedAt, events: allEvents(store, { upTo }), checkpoints, keys }),
      {
        trustedKeys: keys,
      },
    );
    const latest = checkpoints[checkpoints.length - 1];
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
