import type { Area } from '../../app/area';
import ja from '../../i18n/ja/talent.json';
import en from '../../i18n/en/talent.json';
import { TALENT_ROUTES } from './routes';

export const talentArea: Area = {
  name: 'talent',
  i18n: { ja, en },
  routes: TALENT_ROUTES,
  nav: [{ path: '/talent', label: 'nav' }],
};
