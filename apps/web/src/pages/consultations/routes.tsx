import type { PageRoute } from '../../app/router';
import { CONSULTATION_PATHS } from './paths';
import { ConsultationListPage } from './consultation-list-page';
import { ConsultationPage } from './consultation-page';

export const CONSULTATION_ROUTES: PageRoute[] = [
  { path: CONSULTATION_PATHS.list, title: 'consultations:list.title', render: () => <ConsultationListPage /> },
  {
    path: CONSULTATION_PATHS.consultation,
    title: 'consultations:consultation.title',
    render: ({ params }) => <ConsultationPage consultationId={params.consultationId} />,
  },
];
