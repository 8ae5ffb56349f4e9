import type { PageRoute } from '../../app/router';
import { SPEC_PATHS } from './paths';
import { SpecListPage } from './spec-list-page';
import { SpecPage } from './spec-page';
import { SpecVersionPage } from './spec-version-page';

export const SPEC_ROUTES: PageRoute[] = [
  { path: SPEC_PATHS.list, title: 'specs:list.title', render: () => <SpecListPage /> },
  { path: SPEC_PATHS.spec, title: 'specs:spec.title', render: ({ params }) => <SpecPage specId={params.specId} /> },
  { path: SPEC_PATHS.version, title: 'specs:version.title', render: ({ params }) => <SpecVersionPage specId={params.specId} version={params.version} /> },
];
