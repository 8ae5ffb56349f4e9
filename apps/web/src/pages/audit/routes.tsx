import type { PageRoute } from '../../app/router';
import { AuditPage } from './audit-page';
import { AUDIT_PATHS } from './paths';

export const AUDIT_ROUTES: PageRoute[] = [{ path: AUDIT_PATHS.audit, title: 'audit:title', render: () => <AuditPage /> }];
