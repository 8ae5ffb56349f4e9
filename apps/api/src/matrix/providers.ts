import type { Provider, Type } from '@nestjs/common';
import { MatrixExportReader } from './export-matrix/matrix-export.query';
import { ExportMatrixController } from './export-matrix/export-matrix.controller';
import { ImportCommentMatrixResolver } from './import-matrix/import-matrix.resolver';
import { ResultSheetController } from './result-sheet/result-sheet.controller';
import { ImportMatrixDispositionsResolver } from './import-dispositions/import-dispositions.resolver';

/** The 意見照会 matrix (export, import of comments and of the secretariat's dispositions) and the consultations' result sheets. */
export const MATRIX_PROVIDERS: readonly Provider[] = [MatrixExportReader, ImportCommentMatrixResolver, ImportMatrixDispositionsResolver];
export const MATRIX_CONTROLLERS: readonly Type<unknown>[] = [ExportMatrixController, ResultSheetController];
