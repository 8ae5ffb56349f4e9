import type { Area } from '../../app/area';
import ja from '../../i18n/ja/specs.json';
import en from '../../i18n/en/specs.json';
import { SPEC_ROUTES } from './routes';

export const specsArea: Area = {
  name: 'specs',
  i18n: { ja, en },
  routes: SPEC_ROUTES,
  nav: [{ path: '/specs', label: 'nav' }],
};
