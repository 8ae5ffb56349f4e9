import type { PageRoute } from '../../app/router';
import { ArrangementPage } from './arrangement-page';
import { CalculatorPage } from './calculator-page';
import { TALENT_PATHS } from './paths';
import { TalentListPage } from './talent-list-page';

// `calculator` before `:arrangementId`: the first matching route wins.
export const TALENT_ROUTES: PageRoute[] = [
  { path: TALENT_PATHS.list, title: 'talent:list.title', render: () => <TalentListPage /> },
  { path: TALENT_PATHS.calculator, title: 'talent:calculator.title', render: () => <CalculatorPage /> },
  { path: TALENT_PATHS.arrangement, title: 'talent:arrangement.title', render: ({ params }) => <ArrangementPage arrangementId={params.arrangementId} /> },
];
