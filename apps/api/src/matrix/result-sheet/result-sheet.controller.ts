import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '@kyogi/domain/shared/decider';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';
import { isRefusal, refuse, sendFile, signedIn, waitForPosition, XLSX_TYPE } from '../downloads';
import { readResultSheet } from './result-sheet.query';
import { resultSheetCsv, resultWorkbookBytes } from './result-sheet';

/**
 * `GET /consultations/<consultationId>/results.xlsx` and `results.csv` (bearer token;
 * `?waitFor=<position>`): a round's result sheet, for anyone who may read consultations; a round
 * with hidden results only once it has closed (403 RESULTS_HIDDEN before).
 */
@Controller('consultations')
export class ResultSheetController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get(':id/:file')
  async results(
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Param('id') consultationId: string,
    @Param('file') file: string,
    @Query('waitFor') waitFor: string | undefined,
  ): Promise<void> {
    if (file !== 'results.xlsx' && file !== 'results.csv') {
      return refuse(response, {
        status: 404,
        code: 'NOT_FOUND',
        message: 'The result sheet is at /consultations/<consultationId>/results.xlsx or results.csv',
      });
    }
    const actor = await signedIn(this.platform.verifier, request, 'consultation.read');
    if (isRefusal(actor)) return refuse(response, actor);
    const behind = await waitForPosition(this.platform.projector, waitFor);
    if (behind) return refuse(response, behind);

    const data = await readResultSheet(this.platform.pool, consultationId, this.platform.clock());
    if (data instanceof DomainError) return refuse(response, { status: data.code === 'NOT_FOUND' ? 404 : 403, code: data.code, message: data.message });
    const safeId = consultationId.replace(/[^A-Za-z0-9_-]/g, '_');
    if (file === 'results.csv') {
      sendFile(response, resultSheetCsv(data), 'text/csv; charset=utf-8', `results-${safeId}.csv`, `協議結果_${safeId}.csv`);
    } else {
      sendFile(response, await resultWorkbookBytes(data), XLSX_TYPE, `results-${safeId}.xlsx`, `協議結果_${safeId}.xlsx`);
    }
  }
}
