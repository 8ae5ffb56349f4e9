import { checkpointDigest, type SignedCheckpoint } from '@kyogi/audit/checkpoint';

export interface AuditCheckpointView {
  readonly sequence: number;
  readonly position: string;
  readonly createdAt: Date;
  readonly streamCount: number;
  readonly merkleRoot: string;
  readonly previousDigest: string | null;
  readonly digest: string;
  readonly keyId: string;
  readonly signature: string;
  readonly json: string;
}

export const toCheckpointView = (checkpoint: SignedCheckpoint): AuditCheckpointView => ({
  sequence: checkpoint.sequence,
  position: checkpoint.position,
  createdAt: new Date(checkpoint.createdAt),
  streamCount: checkpoint.streamCount,
  merkleRoot: checkpoint.merkleRoot,
  previousDigest: checkpoint.previousDigest,
  digest: checkpointDigest(checkpoint),
  keyId: checkpoint.keyId,
  signature: checkpoint.signature,
  json: JSON.stringify(checkpoint),
});
