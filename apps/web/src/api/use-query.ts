/**
 * A query bound to a component: runs when its variables change, keeps the last data while it
 * refetches (live updates must not blank the page), and ignores answers to superseded requests.
 * `refetch({ waitFor })` reads the read models at least at that position (read-your-writes).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { gql } from './graphql';

export interface QueryState<T> {
  readonly data: T | null;
  readonly error: Error | null;
  readonly loading: boolean;
  readonly refetch: (extra?: Record<string, unknown>) => Promise<void>;
}

export function useQuery<T>(query: string, variables: Record<string, unknown> = {}, options: { skip?: boolean } = {}): QueryState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(!options.skip);
  const key = JSON.stringify(variables);
  const generation = useRef(0);

  const run = useCallback(
    async (extra: Record<string, unknown> = {}) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const result = await gql<T>(query, { ...(JSON.parse(key) as Record<string, unknown>), ...extra });
        if (mine !== generation.current) return;
        setData(result);
        setError(null);
      } catch (e) {
        if (mine !== generation.current) return;
        setError(e as Error);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [query, key],
  );

  useEffect(() => {
    if (options.skip) return;
    setData(null);
    void run();
  }, [run, options.skip]);

  return { data, error, loading, refetch: run };
}
