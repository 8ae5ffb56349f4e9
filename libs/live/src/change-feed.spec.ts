import { comparePositions, parsePosition, START, type Position } from '@kyogi/event-store/port';
import type { ChangeHistory, LoggedChange } from '@kyogi/read-models/change-log';
import { ChangeFeed, ResyncRequiredError } from './change-feed';

const pos = (n: number) => `${n.toString(16).padStart(16, '0')}.${n.toString(16).padStart(16, '0')}`;
const change = (id: string, n: number): LoggedChange => ({ seq: BigInt(n), entity: 'organisation', id, change: 'MemberAdded', position: pos(n), scope: {} });

async function take(it: AsyncIterator<LoggedChange>, count: number): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) seqs.push(Number((await it.next()).value.seq));
  return seqs;
}

/** A change log in memory, complete after `horizon`: what `history` would read from read_models.changes. */
function logOf(changes: LoggedChange[], horizon: Position = START) {
  return async (after: Position, limit: number): Promise<ChangeHistory> =>
    comparePositions(after, horizon) < 0
      ? { ok: false, horizon }
      : { ok: true, changes: changes.filter((c) => comparePositions(parsePosition(c.position), after) > 0).slice(0, limit) };
}

describe('ChangeFeed', () => {
  it('delivers matching changes in order and skips the others', async () => {
    const feed = new ChangeFeed();
    const it = feed.subscribe((c) => c.id === 'a');
    feed.publish([change('a', 1), change('b', 2), change('a', 3)]);
    expect(await take(it, 2)).toEqual([1, 3]);
  });

  it('hands a change straight to a waiting reader', async () => {
    const feed = new ChangeFeed();
    const it = feed.subscribe(() => true);
    const next = it.next();
    feed.publish([change('a', 1)]);
    expect((await next).value).toMatchObject({ id: 'a' });
  });

  it('ends a consumer that falls more than the buffer behind, and forgets it', async () => {
    const feed = new ChangeFeed({ bufferLimit: 3 });
    const it = feed.subscribe(() => true);
    feed.publish([change('a', 1), change('a', 2), change('a', 3), change('a', 4)]);
    await expect(it.next()).rejects.toBeInstanceOf(ResyncRequiredError);
    expect(feed.subscriberCount).toBe(0);
  });

  it('stops delivering once the client unsubscribes', async () => {
    const feed = new ChangeFeed();
    const it = feed.subscribe(() => true);
    await it.return!();
    feed.publish([change('a', 1)]);
    expect(feed.subscriberCount).toBe(0);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  describe('resuming after a position', () => {
    it('replays what was logged after it, then live changes, with no gap and no duplicate', async () => {
      const log = [1, 2, 3, 4, 5].map((n) => change('a', n));
      let release!: () => void;
      const slowHistory = async (after: Position, limit: number) => {
        await new Promise<void>((r) => (release = r));
        return logOf(log)(after, limit);
      };
      const feed = new ChangeFeed({ history: slowHistory });
      const it = feed.subscribe(() => true, { after: parsePosition(pos(2)) });
      // While the history is being read, 5 (already in it) and 6 (new) arrive live.
      feed.publish([change('a', 5), change('a', 6)]);
      release();
      feed.publish([change('a', 7)]);
      expect(await take(it, 5)).toEqual([3, 4, 5, 6, 7]);
    });

    it('skips a change the tail publishes after the replay already read it from the log', async () => {
      const log = [1, 2, 3].map((n) => change('a', n));
      const feed = new ChangeFeed({ history: logOf(log) });
      const it = feed.subscribe(() => true, { after: parsePosition(pos(0)) });
      expect(await take(it, 3)).toEqual([1, 2, 3]);
      feed.publish([change('a', 3), change('a', 4)]); // 3 was logged before the replay read the log
      expect(await take(it, 1)).toEqual([4]);
    });

    it('replays only what matches the subscription', async () => {
      const feed = new ChangeFeed({ history: logOf([change('a', 1), change('b', 2), change('a', 3)]) });
      const it = feed.subscribe((c) => c.id === 'a', { after: parsePosition(pos(0)) });
      expect(await take(it, 2)).toEqual([1, 3]);
    });

    it('asks for a resync when more was missed than it replays', async () => {
      const feed = new ChangeFeed({ history: logOf([1, 2, 3, 4].map((n) => change('a', n))), replayLimit: 3 });
      const it = feed.subscribe(() => true, { after: parsePosition(pos(0)) });
      await expect(it.next()).rejects.toBeInstanceOf(ResyncRequiredError);
      expect(feed.subscriberCount).toBe(0);
    });

    it('asks for a resync, replaying nothing, when the log is complete only after a later position than the resume', async () => {
      // A catch-up from far behind left the changes up to 4 unlogged: the log holds 5 and 6 only.
      const feed = new ChangeFeed({
        history: logOf(
          [5, 6].map((n) => change('a', n)),
          parsePosition(pos(4)),
        ),
      });
      const it = feed.subscribe(() => true, { after: parsePosition(pos(2)) });
      await expect(it.next()).rejects.toThrow(/complete only after 0{15}4\.0{15}4, not 0{15}2\.0{15}2/);
      expect(feed.subscriberCount).toBe(0);
    });

    it('replays from the horizon itself: everything after it is in the log', async () => {
      const feed = new ChangeFeed({
        history: logOf(
          [5, 6].map((n) => change('a', n)),
          parsePosition(pos(4)),
        ),
      });
      const it = feed.subscribe(() => true, { after: parsePosition(pos(4)) });
      expect(await take(it, 2)).toEqual([5, 6]);
    });
  });

  it('resyncAll ends every current subscription, live or replaying, and later ones are fed as usual', async () => {
    const feed = new ChangeFeed({ history: () => new Promise<ChangeHistory>(() => undefined) }); // a replay that never ends
    const live = feed.subscribe(() => true);
    const resuming = feed.subscribe(() => true, { after: parsePosition(pos(1)) });
    feed.publish([change('a', 2)]);
    feed.resyncAll('the change log skipped changes');
    await expect(live.next()).rejects.toBeInstanceOf(ResyncRequiredError);
    await expect(resuming.next()).rejects.toThrow(/the change log skipped changes/);
    expect(feed.subscriberCount).toBe(0);
    const later = feed.subscribe(() => true);
    feed.publish([change('a', 3)]);
    expect(await take(later, 1)).toEqual([3]);
  });
});

describe('ChangeFeed.listen', () => {
  it('hands each matching change over inside publish, in order, until stopped', () => {
    const feed = new ChangeFeed();
    const got: number[] = [];
    const resyncs: string[] = [];
    const stop = feed.listen(
      (c) => c.id === 'a',
      (c) => got.push(Number(c.seq)),
      (reason) => resyncs.push(reason),
    );
    feed.publish([change('a', 1), change('b', 2), change('a', 3)]);
    expect(got).toEqual([1, 3]);
    feed.resyncAll('a gap in the log');
    expect(resyncs).toEqual(['a gap in the log: re-query and subscribe again']);
    stop();
    feed.publish([change('a', 4)]);
    feed.resyncAll('another gap');
    expect([got, resyncs, feed.subscriberCount]).toEqual([[1, 3], ['a gap in the log: re-query and subscribe again'], 0]);
  });

  it('reads what was missed from the change log, and asks for a resync beyond the replay limit', async () => {
    const log = [1, 2, 3].map((n) => change('a', n));
    await expect(new ChangeFeed({ history: logOf(log), replayLimit: 3 }).missedSince(parsePosition(pos(1)))).resolves.toEqual(log.slice(1));
    await expect(new ChangeFeed({ history: logOf(log), replayLimit: 2 }).missedSince(parsePosition(pos(0)))).rejects.toBeInstanceOf(ResyncRequiredError);
    await expect(new ChangeFeed().missedSince(parsePosition(pos(0)))).rejects.toThrow(/no change log/);
  });
});
