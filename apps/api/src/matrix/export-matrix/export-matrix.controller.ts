import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '@kyogi/domain/shared/decider';
import { PLATFORM } from '../../platform/tokens';
import type { Platform } from '../../platform/platform';
import { isRefusal, refuse, sendFile, signedIn, waitForPosition, XLSX_TYPE } from '../downloads';
import { MatrixExportReader } from './matrix-export.query';
import { matrixWorkbookBytes } from './matrix-workbook';

/**
 * `GET /matrix/proposals/<proposalId>.xlsx` (bearer token; `?waitFor=<position>` to read one's
 * own write): the 意見照会 matrix of a proposal's comments, for whoever may read the proposal and
 * its comments — a never-submitted proposal only for its author organisation; NOT_FOUND alike
 * for a proposal that does not exist and one the caller may not see.
 */
@Controller('matrix')
export class ExportMatrixController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly reader: MatrixExportReader,
  ) {}

  @Get('proposals/:file')
  async matrix(
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Param('file') file: string,
    @Query('waitFor') waitFor: string | undefined,
  ): Promise<void> {
    const match = /^(.+)\.xlsx$/.exec(file);
    if (!match) return refuse(response, { status: 404, code: 'NOT_FOUND', message: 'The matrix is at /matrix/proposals/<proposalId>.xlsx' });
    const proposalId = match[1];
    const actor = await signedIn(this.platform.verifier, request, 'proposal.read');
    if (isRefusal(actor)) return refuse(response, actor);
    const behind = await waitForPosition(this.platform.projector, waitFor);
    if (behind) return refuse(response, behind);

    const data = await this.reader.matrixOf(proposalId, actor);
    if (data instanceof DomainError) {
      return refuse(response, { status: data.code === 'PROPOSAL_NOT_FOUND' ? 404 : 503, code: data.code, message: data.message });
    }
    const bytes = await matrixWorkbookBytes(data);
    const safeId = proposalId.replace(/[^A-Za-z0-9_-]/g, '_');
    sendFile(response, bytes, XLSX_TYPE, `matrix-${safeId}.xlsx`, `意見照会_${data.spec.specId}_${data.spec.version}_${safeId}.xlsx`);
  }
}
