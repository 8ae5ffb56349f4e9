import type { Area } from '../../app/area';
import ja from '../../i18n/ja/proposals.json';
import en from '../../i18n/en/proposals.json';
import { PROPOSAL_ROUTES } from './routes';

export const proposalsArea: Area = {
  name: 'proposals',
  i18n: { ja, en },
  routes: PROPOSAL_ROUTES,
  nav: [
    { path: '/proposals', label: 'nav.list' },
    { path: '/proposals/new', label: 'nav.new', roles: ['member', 'approver', 'coordinator', 'admin'] },
  ],
};
