import { GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import type { VerifiedIdentity } from '@kyogi/auth/token-verifier';
import { errorRefusals, namedOrganisation, payloadRefusals } from './refusal-plugin';

const AT = new Date('2026-11-22T12:00:00.000Z');
const sapporoMember = {
  identity: {
    actor: { personId: 'staff-011002', organisationId: '011002', organisationKind: 'municipality', roles: ['member'] },
  } as unknown as VerifiedIdentity,
  clientAddress: '10.0.0.7',
};

describe('which organisation an input names', () => {
  it('reads input.organisationId, then an organisationId argument', () => {
    expect(namedOrganisation({ input: { organisationId: '012025', stance: 'FOR' } })).toBe('012025');
    expect(namedOrganisation({ organisationId: '133078' })).toBe('133078');
    expect(namedOrganisation({ input: { consultationId: 'c' } })).toBeNull();
    expect(namedOrganisation({ input: null })).toBeNull();
  });
});

describe('refusals in a mutation payload', () => {
  it('records each FORBIDDEN error with the caller, the field and the other organisation it named', () => {
    const payload = {
      id: null,
      errors: [{ code: 'FORBIDDEN', message: '011002 holds no valid mandate to draft for 012025.', field: 'organisationId' }],
    };
    expect(payloadRefusals('draftStance', { input: { organisationId: '012025' } }, payload, sapporoMember, AT)).toEqual([
      {
        at: AT,
        personId: 'staff-011002',
        organisationId: '011002',
        roles: ['member'],
        operation: 'Mutation.draftStance',
        field: 'organisationId',
        targetOrganisationId: '012025',
        code: 'FORBIDDEN',
        message: '011002 holds no valid mandate to draft for 012025.',
        clientAddress: '10.0.0.7',
      },
    ]);
  });

  it('names no target when the input names the caller’s own organisation, and ignores other failures', () => {
    const payload = {
      errors: [
        { code: 'FORBIDDEN', message: 'requires the approver role', field: null },
        { code: 'CONSULTATION_CLOSED', message: 'closed', field: null },
      ],
    };
    const [only, ...rest] = payloadRefusals('approveStance', { input: { organisationId: '011002' } }, payload, sapporoMember, AT);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ operation: 'Mutation.approveStance', targetOrganisationId: null, field: null });
    expect(payloadRefusals('approveStance', {}, { errors: [] }, sapporoMember, AT)).toEqual([]);
    expect(payloadRefusals('approveStance', {}, null, sapporoMember, AT)).toEqual([]);
  });

  it('records an unauthenticated caller as nobody', () => {
    const [entry] = payloadRefusals('draftStance', {}, { errors: [{ code: 'FORBIDDEN', message: 'x' }] }, { identity: null }, AT);
    expect(entry).toMatchObject({ personId: null, organisationId: null, roles: [], clientAddress: null });
  });
});

describe('refusals among thrown errors', () => {
  const operation = parse('query Probe { keys: auditKeys { kid } me { personId } }').definitions[0] as OperationDefinitionNode;

  it('names the field behind an alias, and keeps only FORBIDDEN', () => {
    const errors = [
      new GraphQLError('requires a role', { path: ['keys'], extensions: { code: 'FORBIDDEN' } }),
      new GraphQLError('no token', { path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }),
    ];
    expect(errorRefusals(errors, operation, sapporoMember, AT)).toEqual([
      expect.objectContaining({ operation: 'Query.auditKeys', code: 'FORBIDDEN', message: 'requires a role', field: null, targetOrganisationId: null }),
    ]);
  });
});
