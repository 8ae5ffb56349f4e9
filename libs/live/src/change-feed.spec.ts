import { ChangeFeed, SlowConsumerError } from './change-feed';
import type { ReadModelChange } from '@kyogi/read-models/projection';

const change = (id: string, n = 1): ReadModelChange => ({ entity: 'organisation', id, change: 'MemberAdded', position: `p${n}`, scope: {} });

describe('ChangeFeed', () => {
  it('delivers matching changes in order and skips the others', async () => {
    const feed = new ChangeFeed();
    const it = feed.subscribe((c) => c.id === 'a');
    feed.publish([change('a', 1), change('b', 2), change('a', 3)]);
    expect((await it.next()).value).toMatchObject({ id: 'a', position: 'p1' });
    expect((await it.next()).value).toMatchObject({ id: 'a', position: 'p3' });
  });

  it('hands a change straight to a waiting reader', async () => {
    const feed = new ChangeFeed();
    const it = feed.subscribe(() => true);
    const next = it.next();
    feed.publish([change('a')]);
    expect((await next).value).toMatchObject({ id: 'a' });
  });

  it('ends a consumer that falls more than the buffer behind, and forgets it', async () => {
    const feed = new ChangeFeed(3);
    const it = feed.subscribe(() => true);
    feed.publish([change('a', 1), change('a', 2), change('a', 3), change('a', 4)]);
    await expect(it.next()).rejects.toBeInstanceOf(SlowConsumerError);
    expect(feed.subscriberCount).toBe(0);
  });

  it('stops delivering once the client unsubscribes', async () => {
    const feed = new ChangeFeed();
    const it = feed.subscribe(() => true);
    await it.return!();
    feed.publish([change('a')]);
    expect(feed.subscriberCount).toBe(0);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});
