import { GraphQLError } from 'graphql';
import { DomainError, type Actor, type Decider, type DomainCommand, type DomainEvent } from '@kyogi/domain/shared/decider';
import { talentArrangementDecider } from '@kyogi/domain/talent/arrangements.decider';
import { parsePosition } from '@kyogi/event-store/port';
import type { RequestContext } from '../graphql/request-context';
import type { CommandOutcome } from './decide-and-append';
import { entityIdFor } from './event-ids';
import { clientOrDerivedId, runMutation, type MutationRunner } from './mutation-runner';

const NOW = new Date('2026-04-01T00:00:00.000Z');
const POSITION = parsePosition('0000000000000001.0000000000000002');
const approver: Actor = { personId: 'p-approver', organisationId: '016381', organisationKind: 'municipality', roles: ['member', 'approver'] };
const staff: Actor = { personId: 'p-staff', organisationId: '016381', organisationKind: 'municipality', roles: ['member'] };
const signedIn = (actor: Actor): RequestContext => ({ identity: { actor, displayName: actor.personId, expiresAt: new Date('2099-01-01') }, authError: null });

/** A runner that records what it is sent and answers `outcome`. */
function fakeRunner(outcome: CommandOutcome = { ok: true, position: POSITION, revision: 3n, events: [] }) {
  const sent: { decider: Decider<unknown, DomainCommand, DomainEvent>; streamId: string; command: DomainCommand }[] = [];
  const runner: MutationRunner = {
    clock: () => NOW,
    send(decider, streamId, command) {
      sent.push({ decider: decider as never, streamId, command });
      return Promise.resolve(outcome);
    },
  };
  return { runner, sent };
}

const consent = (data = jest.fn((actor: Actor) => ({ arrangementId: 'TA-1', organisationId: actor.organisationId, termsVersion: 2 }))) => ({
  operation: 'talent.consent' as const,
  decider: talentArrangementDecider,
  type: 'ConsentToTalentTerms' as const,
  streamId: 'TA-1',
  data,
});

describe('runMutation', () => {
  it('sends the command with the actor from the token, the runner’s time and the client’s command id, and answers the position', async () => {
    const { runner, sent } = fakeRunner();
    const result = await runMutation(runner, signedIn(approver), { ...consent(), commandId: 'cmd-1' });
    expect(result).toEqual({ id: 'TA-1', position: POSITION, errors: [] });
    expect(sent).toEqual([
      {
        decider: talentArrangementDecider,
        streamId: 'TA-1',
        command: {
          type: 'ConsentToTalentTerms',
          data: { arrangementId: 'TA-1', organisationId: '016381', termsVersion: 2 },
          metadata: { commandId: 'cmd-1', now: NOW, actor: approver },
        },
      },
    ]);
  });

  it('makes up a command id when the client gave none, and derives a created entity’s id from it', async () => {
    const { runner, sent } = fakeRunner();
    const result = await runMutation(runner, signedIn(approver), { ...consent(), streamId: clientOrDerivedId(null) });
    const { commandId } = sent[0].command.metadata;
    expect(commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[0].streamId).toBe(entityIdFor(commandId));
    expect(result.id).toBe(entityIdFor(commandId));
    expect(clientOrDerivedId('  TA-9 ')('cmd-1')).toBe('TA-9');
    expect(clientOrDerivedId('')('cmd-1')).toBe(entityIdFor('cmd-1'));
  });

  it('answers FORBIDDEN in the payload, before any lookup, for a caller the permission table refuses', async () => {
    const { runner, sent } = fakeRunner();
    const data = jest.fn();
    const result = await runMutation(runner, signedIn(staff), consent(data));
    expect(result).toEqual({
      id: null,
      position: null,
      errors: [{ code: 'FORBIDDEN', message: 'talent.consent requires the approver role (決裁者) in a municipality or prefecture', field: null }],
    });
    expect(data).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('refuses a request without a token as UNAUTHENTICATED (a GraphQL error, not a payload)', async () => {
    const { runner } = fakeRunner();
    await expect(runMutation(runner, { identity: null, authError: null }, consent())).rejects.toThrow(GraphQLError);
    await expect(runMutation(runner, { identity: null, authError: null }, consent())).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('ends with a lookup’s error, naming its field, and sends nothing', async () => {
    const { runner, sent } = fakeRunner();
    const result = await runMutation(
      runner,
      signedIn(approver),
      consent(jest.fn(() => new DomainError('UNKNOWN_THING', 'No such thing.', 'thingId')) as never),
    );
    expect(result).toEqual({ id: null, position: null, errors: [{ code: 'UNKNOWN_THING', message: 'No such thing.', field: 'thingId' }] });
    expect(sent).toEqual([]);
  });

  it('answers the decider’s refusal in the payload, and no position', async () => {
    const { runner } = fakeRunner({ ok: false, error: new DomainError('TERMS_VERSION_STALE', 'Version 1 is not the current one.', 'termsVersion') });
    expect(await runMutation(runner, signedIn(approver), consent())).toEqual({
      id: null,
      position: null,
      errors: [{ code: 'TERMS_VERSION_STALE', message: 'Version 1 is not the current one.', field: 'termsVersion' }],
    });
  });

  it('answers a command that decided nothing (a retry of a step taken) with its id and no position', async () => {
    const { runner } = fakeRunner({ ok: true, position: null, revision: 3n, events: [] });
    expect(await runMutation(runner, signedIn(approver), consent())).toEqual({ id: 'TA-1', position: null, errors: [] });
  });
});
