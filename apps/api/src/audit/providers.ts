import type { Provider, Type } from '@nestjs/common';
import { AuditCheckpointsResolver, CreateAuditCheckpointResolver } from './checkpoints/checkpoints.resolver';
import { CheckpointKeysController } from './checkpoints/keys.controller';
import { VerifyAuditLogResolver } from './verify-log/verify-log.resolver';
import { AuditExportController } from './exports/export.controller';

/** What the audit context adds to the app module: checkpoints, their keys, verification. */
export const AUDIT_PROVIDERS: readonly Provider[] = [AuditCheckpointsResolver, CreateAuditCheckpointResolver, VerifyAuditLogResolver];
export const AUDIT_CONTROLLERS: readonly Type<unknown>[] = [CheckpointKeysController, AuditExportController];
