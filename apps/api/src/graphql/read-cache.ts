import { Kind, type FormattedExecutionResult, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { RequestContext } from './request-context';

/**
 * Root query fields whose answer is a function of the read models and of who asks, nothing else:
 * no clock, no event-store read, no side effect. Everything else is always executed: the audit
 * fields (they read and verify the event store), `history` (event store), `securityRefusals`
 * (the security log, written outside the projector), `serverInfo`, `me`, and the cost calculator.
 */
export const CACHEABLE_QUERY_FIELDS: ReadonlySet<string> = new Set([
  'proposal',
  'proposals',
  'comment',
  'commentsOnRequirement',
  'consultation',
  'consultations',
  'ladder',
  'mandates',
  'organisation',
  'organisations',
  'organisationActivity',
  'specs',
  'spec',
  'specVersion',
  'requirement',
  'talentArrangement',
  'talentArrangements',
  'talentPool',
  'talentPools',
]);

/** Arguments that make a field read something other than the current read models (`asOf`: the event store as it stood). */
const UNCACHEABLE_ARGUMENTS: ReadonlySet<string> = new Set(['asOf']);

/**
 * Whether an operation's answer may be served from the read cache: a query whose root fields
 * (through root-level fragments too) are all in CACHEABLE_QUERY_FIELDS, none of them given an
 * `asOf` (a literal, or a variable that is set).
 */
export function isCacheableOperation(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>> | undefined,
): boolean {
  if (operation.operation !== 'query') return false;
  const seen = new Set<string>();
  const allCacheable = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          if (name === '__typename') return true;
          if (!CACHEABLE_QUERY_FIELDS.has(name)) return false;
          return (selection.arguments ?? []).every((arg) => !UNCACHEABLE_ARGUMENTS.has(arg.name.value) || isNullValue(arg.value, variables));
        }
        case Kind.INLINE_FRAGMENT:
          return allCacheable(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments[selection.name.value];
          if (!fragment) return false;
          if (seen.has(fragment.name.value)) return true;
          seen.add(fragment.name.value);
          return allCacheable(fragment.selectionSet);
        }
        default: {
          const unknown: never = selection;
          return unknown;
        }
      }
    });
  return allCacheable(operation.selectionSet);
}

function isNullValue(value: ValueNode, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  if (value.kind === Kind.NULL) return true;
  if (value.kind === Kind.VARIABLE) return variables?.[value.name.value] === undefined || variables[value.name.value] === null;
  return false;
}

/**
 * Who asks, as far as any cacheable resolver can tell: the verified actor and display name (not
 * the token's expiry — the request was authenticated before the cache is consulted), or the
 * reason there is none.
 */
export function viewerKey(context: Pick<RequestContext, 'identity' | 'authError'>): string {
  const identity = context.identity;
  if (!identity) return `anonymous:${context.authError?.code ?? 'none'}`;
  const { personId, organisationId, organisationKind, roles } = identity.actor;
  return JSON.stringify([personId, organisationId, organisationKind, roles, identity.displayName]);
}

/** Variables in a canonical text: keys sorted at every level, so `{a,b}` and `{b,a}` are one entry. */
export function canonicalVariables(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface ReadCacheOptions {
  /** Bytes of answers (their JSON length) kept at most; 0 turns the cache off. */
  readonly maxBytes: number;
}

interface Entry {
  readonly result: FormattedExecutionResult;
  readonly bytes: number;
}

/**
 * Answers of cacheable queries (read-cache.plugin.ts), keyed by document, variables and viewer,
 * valid until the read models change. Whoever learns of a read-model commit calls `invalidate()`:
 * the projector of this process right after its commit, the change-log tail when another
 * process's projector announces one. An answer computed while a commit landed is not kept (its
 * generation is stale); while commits from elsewhere cannot be heard (`trust(false)`: the LISTEN
 * connection is down), nothing is served or kept. Least recently used answers go first.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private generationValue = 0;
  /** Until the change notifications can be heard, nothing is served. */
  private trusted = false;

  constructor(private readonly options: ReadCacheOptions) {}

  get enabled(): boolean {
    return this.options.maxBytes > 0 && this.trusted;
  }

  /** Bumped by every invalidation: an answer may be kept only if it is still the one it started under. */
  get generation(): number {
    return this.generationValue;
  }

  get size(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  get(key: string): FormattedExecutionResult | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last: re-insert.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.result;
  }

  /** Keeps an answer computed under `generation`, unless the read models changed meanwhile or it alone exceeds the budget. */
  set(key: string, result: FormattedExecutionResult, bytes: number, generation: number): boolean {
    if (!this.enabled || generation !== this.generationValue || bytes > this.options.maxBytes) return false;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, { result, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return true;
  }

  /** The read models changed: nothing kept so far may be served, nothing started so far may be kept. */
  invalidate(): void {
    this.generationValue++;
    this.entries.clear();
    this.bytes = 0;
  }

  /** Whether every read-model commit reaches `invalidate()` (false while the change notifications cannot be heard). */
  trust(trusted: boolean): void {
    if (this.trusted === trusted) return;
    this.trusted = trusted;
    this.invalidate();
  }
}
