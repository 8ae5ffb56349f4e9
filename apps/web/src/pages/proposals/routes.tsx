import type { PageRoute } from '../../app/router';
import { PROPOSAL_PATHS } from './paths';
import { ProposalListPage } from './proposal-list-page';
import { ProposalPage } from './proposal-page';
import { DraftEditorPage } from './draft-editor-page';

// `new` before `:proposalId`: the first matching route wins.
export const PROPOSAL_ROUTES: PageRoute[] = [
  { path: PROPOSAL_PATHS.list, title: 'proposals:list.title', render: () => <ProposalListPage /> },
  { path: PROPOSAL_PATHS.new, title: 'proposals:editor.newTitle', render: () => <DraftEditorPage proposalId={null} /> },
  { path: PROPOSAL_PATHS.proposal, title: 'proposals:proposal.title', render: ({ params }) => <ProposalPage proposalId={params.proposalId} /> },
  { path: PROPOSAL_PATHS.edit, title: 'proposals:editor.editTitle', render: ({ params }) => <DraftEditorPage proposalId={params.proposalId} /> },
];
