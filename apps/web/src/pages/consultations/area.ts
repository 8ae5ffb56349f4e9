import type { Area } from '../../app/area';
import ja from '../../i18n/ja/consultations.json';
import en from '../../i18n/en/consultations.json';
import { CONSULTATION_ROUTES } from './routes';

export const consultationsArea: Area = {
  name: 'consultations',
  i18n: { ja, en },
  routes: CONSULTATION_ROUTES,
  nav: [{ path: '/consultations', label: 'nav' }],
};
