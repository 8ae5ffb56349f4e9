import type { Area } from '../../app/area';
import ja from '../../i18n/ja/audit.json';
import en from '../../i18n/en/audit.json';
import { AUDIT_ROUTES } from './routes';

export const auditArea: Area = {
  name: 'audit',
  i18n: { ja, en },
  routes: AUDIT_ROUTES,
  nav: [{ path: '/audit', label: 'nav' }],
};
