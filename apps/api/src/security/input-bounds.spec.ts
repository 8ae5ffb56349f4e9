import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { BOUNDS_BY_COORDINATE, BOUNDS_BY_NAME, boundFor } from './input-bounds';
import { inputScalarSites } from './input-rules';
import { repoRoot } from '../platform/repo-root';

const SCHEMA_DIR = path.join(repoRoot(), 'schema');
const schema = buildSchema(
  readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(path.join(SCHEMA_DIR, file), 'utf8'))
    .join('\n'),
);
const sites = inputScalarSites(schema);

describe('the bound table against schema/*.graphql', () => {
  it('finds the input scalars of the schema (arguments and input fields)', () => {
    const coordinates = sites.map((s) => s.coordinate);
    expect(coordinates).toEqual(expect.arrayContaining(['Mutation.demoLogin.email', 'DraftProposalInput.title', 'SpecVersion.requirements.first']));
    expect(sites.length).toBeGreaterThan(200);
  });

  it('gives every String and ID a length bound and every Int and Float a range, none from the fallback', () => {
    const missing = sites
      .map((site) => ({ site, found: boundFor(site.coordinate, site.name, site.scalar) }))
      .filter(({ found }) => !found || found.source === 'fallback')
      .map(({ site }) => `${site.coordinate} (${site.scalar}): add it to BOUNDS_BY_NAME or BOUNDS_BY_COORDINATE in input-bounds.ts`);
    expect(missing).toEqual([]);
  });

  it('matches the kind of bound to the scalar', () => {
    for (const site of sites) {
      const { bound } = boundFor(site.coordinate, site.name, site.scalar)!;
      expect([site.coordinate, bound.kind]).toEqual([site.coordinate, site.scalar === 'String' || site.scalar === 'ID' ? 'text' : 'range']);
    }
  });

  it('has no exact coordinate that the schema does not have', () => {
    const known = new Set(sites.map((s) => s.coordinate));
    expect(Object.keys(BOUNDS_BY_COORDINATE).filter((c) => !known.has(c))).toEqual([]);
  });

  it('has no name rule that no field uses', () => {
    const names = new Set(sites.map((s) => s.name));
    expect(Object.keys(BOUNDS_BY_NAME).filter((n) => !names.has(n))).toEqual([]);
  });

  it('treats long texts as multi-line prose and names, titles and ids as one line', () => {
    const bound = (coordinate: string) => {
      const site = sites.find((s) => s.coordinate === coordinate)!;
      return boundFor(site.coordinate, site.name, site.scalar)!.bound;
    };
    expect(bound('PostCommentInput.body')).toEqual({ kind: 'text', max: 20_000, multiline: true });
    expect(bound('ProposalChangeInput.after')).toEqual({ kind: 'text', max: 20_000, multiline: true });
    expect(bound('Query.proposals.after')).toEqual({ kind: 'text', max: 200, multiline: false });
    expect(bound('DraftProposalInput.title')).toEqual({ kind: 'text', max: 1000, multiline: false });
    expect(bound('ImportSpecVersionInput.content')).toEqual({ kind: 'text', max: 2 * 1024 * 1024, multiline: true });
    expect(bound('DraftProposalInput.commandId')).toEqual({ kind: 'text', max: 200, multiline: false });
    expect(bound('OpenConsultationInput.quorumPercent')).toEqual({ kind: 'range', min: 0, max: 100 });
  });
});
