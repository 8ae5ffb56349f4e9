import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeEventsCsv, writeExport } from '@kyogi/audit/export-format';
import { allEvents } from '@kyogi/audit/store-events';
import { authorise } from '@kyogi/auth/permissions';
import { bearerToken, TokenError } from '@kyogi/auth/token-verifier';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';

/**
 * The whole log for download, read page by page up to the head as it stood when the download
 * began: JSON Lines with the hashes, every signed checkpoint and the keys (for `verify`), or CSV
 * for people (names of organisations resolved). A national admin's act — the log holds drafts
 * and hidden stances; the history of a single entity is exported with its own access rules.
 */
@Controller('audit')
export class AuditExportController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get('export')
  async export(@Req() request: IncomingMessage, @Res() response: ServerResponse, @Query('format') format: string | undefined): Promise<void> {
    const kind = format ?? 'jsonl';
    if (kind !== 'jsonl' && kind !== 'csv') {
      refuse(response, 400, { code: 'INVALID_FORMAT', message: 'format is jsonl or csv' });
      return;
    }
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      refuse(response, 401, { code: 'UNAUTHENTICATED', message: 'No bearer token was given' });
      return;
    }
    let actor;
    try {
      actor = (await this.platform.verifier.verify(token)).actor;
    } catch (error) {
      refuse(response, 401, { code: 'UNAUTHENTICATED', message: error instanceof TokenError ? error.message : 'The token was refused' });
      return;
    }
    const verdict = authorise('audit.exportLog', actor);
    if (!verdict.allowed) {
      refuse(response, 403, { code: 'FORBIDDEN', message: verdict.reason });
      return;
    }
    const { store, checkpoints: writer, clock, pool } = this.platform;
    const exportedAt = clock();
    const upTo = await store.headPosition();
    const stamp = exportedAt.toISOString().replace(/[:.]/g, '-');
    let lines: AsyncIterable<string>;
    if (kind === 'jsonl') {
      const { checkpoints, keys } = await writer.state();
      lines = writeExport({ scope: { kind: 'log' }, exportedAt, events: allEvents(store, { upTo }), checkpoints, keys });
      response.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="kyogi-log-${stamp}.jsonl"`);
    } else {
      const { rows } = await pool.query<{ id: string; name: string }>('SELECT id, name FROM read_models.organisations');
      const names = new Map(rows.map((r) => [r.id, r.name]));
      lines = writeEventsCsv(allEvents(store, { upTo }), { organisationName: (id) => names.get(id) });
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="kyogi-log-${stamp}.csv"`);
    }
    response.statusCode = 200;
    try {
      for await (const line of lines) {
        // Respect backpressure: a slow client never makes the whole log sit in memory.
        if (!response.write(line)) await new Promise<void>((resolve) => response.once('drain', resolve));
        if (response.destroyed) return;
      }
      response.end();
    } catch (error) {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function refuse(response: ServerResponse, status: number, body: { code: string; message: string }): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}
