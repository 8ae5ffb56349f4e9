import { writeExport } from '@kyogi/audit/export-format';
import { allEvents } from '@kyogi/audit/store-events';
import { verifyExport, type VerifyReport } from '@kyogi/audit/verify';
import type { AuditFinding, CheckpointWriter } from '@kyogi/audit/checkpoint-writer';
import type { SignedCheckpoint } from '@kyogi/audit/checkpoint';
import { formatPosition, type EventStore } from '@kyogi/event-store/port';

export interface WholeLogVerification {
  readonly report: VerifyReport;
  /** What is wrong, or null: a log without any checkpoint yet is not a finding (nothing was signed to contradict). */
  readonly finding: AuditFinding | null;
  /** The latest checkpoint when the check began: the one the log was checked against. */
  readonly checkpoint: SignedCheckpoint | null;
  readonly verifiedAt: Date;
}

/**
 * The whole log, checked as a third party checks an export of it (the same verifier as the
 * verify CLI): read page by page up to the head as it stood when the check began, never held in
 * memory. The outcome is recorded in the audit stream when it changes the audit's state (a new
 * mismatch stops checkpoint signing on every instance; a pass after one resumes it).
 */
export async function verifyWholeLog(deps: {
  readonly store: EventStore;
  readonly writer: CheckpointWriter;
  readonly clock: () => Date;
}): Promise<WholeLogVerification> {
  const { store, writer, clock } = deps;
  const upTo = await store.headPosition();
  const { checkpoints, keys } = await writer.state();
  const verifiedAt = clock();
  const report = await verifyExport(
    () => writeExport({ scope: { kind: 'log' }, exportedAt: verifiedAt, events: allEvents(store, { upTo }), checkpoints, keys }),
    { trustedKeys: keys },
  );
  const finding = findingOf(report);
  await writer.recordVerification({ finding, eventCount: report.eventCount, upTo: formatPosition(upTo) });
  return { report, finding, checkpoint: checkpoints[checkpoints.length - 1] ?? null, verifiedAt };
}

export function findingOf(report: VerifyReport): AuditFinding | null {
  const mismatch = report.firstMismatch;
  if (mismatch)
    return {
      reason: mismatch.reason,
      message: mismatch.message,
      streamName: mismatch.streamName,
      revision: String(mismatch.revision),
      position: String(mismatch.position),
    };
  const problem = report.problems.find((p) => p.code !== 'NO_CHECKPOINT');
  return problem ? { reason: problem.code, message: problem.message, streamName: null, revision: null, position: null } : null;
}
