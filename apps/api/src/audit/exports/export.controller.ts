import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeEventsCsv, writeExport, type ExportScope } from '@kyogi/audit/export-format';
import { allEvents, streamEvents } from '@kyogi/audit/store-events';
import { authorise, type Operation } from '@kyogi/auth/permissions';
import { bearerToken, TokenError } from '@kyogi/auth/token-verifier';
import type { Actor } from '@kyogi/domain/shared/decider';
import type { RecordedEvent } from '@kyogi/event-store/port';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';
import { isRedacted, streamVisibleTo, withheldFrom } from '../history/access';
import { ENTITY_KINDS, type EntityKind } from '../history/history';
import { streamNameOf, StreamFactsReader } from '../history/stream-facts';

type Refusal = { readonly status: number; readonly code: string; readonly message: string };

/**
 * Downloads for auditors, read page by page (a slow client never makes the log sit in memory):
 * - `GET /audit/export?format=jsonl|csv`: the whole log up to the head as it stood when the
 *   download began — a national admin's act, as the log holds drafts and hidden stances;
 * - `GET /audit/export?entity=PROPOSAL&id=…&format=jsonl|csv`: one entity's history, for anyone
 *   who may see all of it. Exported events are whole (their hashes cover every field), so a
 *   history with entries withheld from the caller — a hidden round still open, personal data —
 *   is refused rather than cut.
 * JSON Lines carry the hashes, every signed checkpoint, the keys and (for one entity) the proof
 * that its stream's head is in the latest checkpoint: `verify` (apps/verify) checks them offline.
 * CSV is for people: a BOM for Excel, organisation names resolved.
 */
@Controller('audit')
export class AuditExportController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get('export')
  async export(
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Query('format') format: string | undefined,
    @Query('entity') entity: string | undefined,
    @Query('id') id: string | undefined,
  ): Promise<void> {
    const kind = format ?? 'jsonl';
    if (kind !== 'jsonl' && kind !== 'csv') return refuse(response, { status: 400, code: 'INVALID_FORMAT', message: 'format is jsonl or csv' });
    if ((entity === undefined) !== (id === undefined))
      return refuse(response, { status: 400, code: 'INVALID_ENTITY', message: 'give both entity and id (one history), or neither (the whole log)' });
    const actor = await this.signedIn(request, entity === undefined ? 'audit.exportLog' : 'audit.readHistory');
    if ('status' in actor) return refuse(response, actor);

    const { store, checkpoints: writer, clock } = this.platform;
    const exportedAt = clock();
    const { checkpoints, keys } = await writer.state();
    let scope: ExportScope;
    let events: () => AsyncIterable<RecordedEvent>;
    let name: string;
    if (entity === undefined) {
      const upTo = await store.headPosition();
      scope = { kind: 'log' };
      events = () => allEvents(store, { upTo });
      name = 'log';
    } else {
      const streamName = entity in ENTITY_KINDS ? streamNameOf(ENTITY_KINDS[entity as EntityKind], id!) : null;
      if (streamName === null)
        return refuse(response, { status: 400, code: 'INVALID_ENTITY', message: `entity is one of ${Object.keys(ENTITY_KINDS).join(', ')}, with an id` });
      const refused = await this.historyRefusal(actor, streamName);
      if (refused) return refuse(response, refused);
      scope = { kind: 'stream', streamName };
      events = () => streamEvents(store, streamName);
      name = streamName;
    }

    const stamp = exportedAt.toISOString().replace(/[:.]/g, '-');
    let lines: AsyncIterable<string>;
    if (kind === 'jsonl') {
      const latest = checkpoints[checkpoints.length - 1];
      const streamProof = scope.kind === 'stream' && latest ? (await writer.treeOf(latest)).proofFor(scope.streamName) : undefined;
      lines = writeExport({ scope, exportedAt, events: events(), checkpoints, keys, streamProof });
      response.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="kyogi-${name}-${stamp}.jsonl"`);
    } else {
      const { rows } = await this.platform.pool.query<{ id: string; name: string }>('SELECT id, name FROM read_models.organisations');
      const names = new Map(rows.map((r) => [r.id, r.name]));
      lines = writeEventsCsv(events(), { organisationName: (organisationId) => names.get(organisationId) });
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="kyogi-${name}-${stamp}.csv"`);
    }
    response.statusCode = 200;
    try {
      for await (const line of lines) {
        if (!response.write(line)) await new Promise<void>((resolve) => response.once('drain', resolve));
        if (response.destroyed) return;
      }
      response.end();
    } catch (error) {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async signedIn(request: IncomingMessage, operation: Operation): Promise<Actor | Refusal> {
    const token = bearerToken(request.headers.authorization);
    if (!token) return { status: 401, code: 'UNAUTHENTICATED', message: 'No bearer token was given' };
    let actor: Actor;
    try {
      actor = (await this.platform.verifier.verify(token)).actor;
    } catch (error) {
      return { status: 401, code: 'UNAUTHENTICATED', message: error instanceof TokenError ? error.message : 'The token was refused' };
    }
    const verdict = authorise(operation, actor);
    return verdict.allowed ? actor : { status: 403, code: 'FORBIDDEN', message: verdict.reason };
  }

  /** NOT_FOUND alike for a stream that does not exist and one the actor may not see; refused when any entry is withheld from them. */
  private async historyRefusal(actor: Actor, streamName: string): Promise<Refusal | null> {
    const facts = await new StreamFactsReader(this.platform.store).factsOf(streamName);
    if (facts === null || !streamVisibleTo(actor, facts)) return { status: 404, code: 'NOT_FOUND', message: `No history of ${streamName} to export.` };
    for await (const event of streamEvents(this.platform.store, streamName)) {
      if (isRedacted(withheldFrom(actor, facts, event)))
        return {
          status: 403,
          code: 'WITHHELD_ENTRIES',
          message: `${streamName} revision ${event.revision} (${event.type}) is withheld from you (a hidden round still open, or personal data); an export holds whole events, so this history cannot be exported for you`,
        };
    }
    return null;
  }
}

function refuse(response: ServerResponse, { status, code, message }: Refusal): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(JSON.stringify({ code, message }));
}
