import type { Actor } from '@kyogi/domain/shared/decider';
import { authorise, type Operation } from '@kyogi/auth/permissions';
import type { ReadModelChange } from '@kyogi/read-models/projection';

/**
 * Which permission a change needs to be seen: a live client is told only about what it may read.
 * A change about people (members) is personal data; the rest of an organisation is public to
 * every signed-in role. Later contexts add their entities here.
 */
export function permissionToSee(change: Pick<ReadModelChange, 'entity' | 'change'>): Operation | null {
  switch (change.entity) {
    case 'organisation':
      return change.change === 'MemberAdded' || change.change === 'MemberRolesChanged' ? 'organisation.readMembers' : 'organisation.read';
    default:
      return null; // unknown entities are seen by nobody
  }
}

export function maySee(actor: Actor, change: Pick<ReadModelChange, 'entity' | 'change' | 'id'>): boolean {
  const operation = permissionToSee(change);
  return operation !== null && authorise(operation, actor, change.id).allowed;
}
