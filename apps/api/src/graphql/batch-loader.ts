/**
 * Per-request batching for field resolvers — the DataLoader pattern, in a few lines instead of a
 * dependency. A page such as a proposal with its comment threads asks for the author
 * organisation of every comment and reply; without this each is one SQL query (N+1). A loader
 * collects the keys asked for until the event loop has run every pending resolver (setImmediate:
 * Nest's resolver pipeline awaits before calling the resolver, so the keys do not all arrive in
 * one microtask), loads them with one call, and remembers each answer for the rest of the request.
 */
export class BatchLoader<K, V> {
  private readonly cache = new Map<K, Promise<V | null>>();
  private queue: { key: K; resolve: (value: V | null) => void; reject: (error: unknown) => void }[] = [];

  /** `loadMany` answers for the keys it finds; a key missing from its map loads as null. */
  constructor(private readonly loadMany: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>) {}

  load(key: K): Promise<V | null> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const loaded = new Promise<V | null>((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.dispatch());
    });
    this.cache.set(key, loaded);
    return loaded;
  }

  private async dispatch(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const found = await this.loadMany(batch.map((entry) => entry.key));
      for (const entry of batch) entry.resolve(found.get(entry.key) ?? null);
    } catch (error) {
      // Not cached: a later field of the same request may try again.
      for (const entry of batch) {
        this.cache.delete(entry.key);
        entry.reject(error);
      }
    }
  }
}

/** The loaders of each request, keyed by its context object: they and their caches end with it. */
const loaders = new WeakMap<object, Map<string, BatchLoader<unknown, unknown>>>();

/** The request's loader called `name`, created with `loadMany` on first use. */
export function requestLoader<K, V>(context: object, name: string, loadMany: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>): BatchLoader<K, V> {
  let byName = loaders.get(context);
  if (!byName) {
    byName = new Map();
    loaders.set(context, byName);
  }
  let loader = byName.get(name) as BatchLoader<K, V> | undefined;
  if (!loader) {
    loader = new BatchLoader(loadMany);
    byName.set(name, loader as BatchLoader<unknown, unknown>);
  }
  return loader;
}
