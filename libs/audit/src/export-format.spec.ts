import { csvField, EVENTS_CSV_COLUMNS, ExportFormatError, readExport, writeEventsCsv, writeExport, type ExportLine } from './export-format';
import { generateCheckpointKey } from './keys';
import { checkpointOf, exportLines, TestLog } from './testing/audit-fixtures';

const key = generateCheckpointKey();

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('the JSON Lines export', () => {
  const log = new TestLog().fill(['Proposal-A', 'Comment-B'], 2);
  log.append('Proposal-A', { reason: '修正前の文, "引用" と改行\nを含む' });

  it('has a header, one line per event with every hashed field, then checkpoints and keys', async () => {
    const { checkpoint, tree } = await checkpointOf(log.events, key.signingKey, null);
    const lines = await exportLines({
      scope: { kind: 'log' },
      events: log.events,
      checkpoints: [checkpoint],
      checkpointHeads: tree.heads,
      keys: [key.publicJwk],
    });
    const records = lines.map((l) => JSON.parse(l));
    expect(records[0]).toEqual({ kind: 'header', format: 'kyogi-export', version: 1, exportedAt: '2026-04-02T00:00:00.000Z', scope: { kind: 'log' } });
    const last = log.events[log.events.length - 1];
    expect(records[5]).toEqual({
      kind: 'event',
      id: last.id,
      streamName: 'Proposal-A',
      revision: '2',
      position: '00000000000003ed.0000000000000005',
      type: 'ThingHappened',
      data: last.data,
      metadata: last.metadata,
      hash: last.hash,
      previousHash: log.events[2].hash,
      recordedAt: last.recordedAt.toISOString(),
    });
    expect(records.map((r) => r.kind)).toEqual([
      'header',
      'event',
      'event',
      'event',
      'event',
      'event',
      'checkpoint-head',
      'checkpoint-head',
      'checkpoint',
      'key',
    ]);
    expect(records[6]).toEqual({ kind: 'checkpoint-head', sequence: 1, streamName: 'Comment-B', revision: '1', hash: log.events[3].hash });
    expect(records[8]).toEqual({ kind: 'checkpoint', ...checkpoint });
    expect(records[9]).toEqual({ kind: 'key', ...key.publicJwk });
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('reads back what it wrote, typed, with line numbers', async () => {
    const { checkpoint, tree } = await checkpointOf(log.events, key.signingKey, null);
    const lines = await exportLines({
      scope: { kind: 'stream', streamName: 'Proposal-A' },
      events: log.stream('Proposal-A'),
      checkpoints: [checkpoint],
      streamProof: tree.proofFor('Proposal-A'),
      keys: [key.publicJwk],
    });
    const records = await collect(readExport(lines));
    expect(records.map((r) => [r.line, r.kind])).toEqual([
      [1, 'header'],
      [2, 'event'],
      [3, 'event'],
      [4, 'event'],
      [5, 'stream-proof'],
      [6, 'checkpoint'],
      [7, 'key'],
    ]);
    const event = records[3] as Extract<ExportLine, { kind: 'event' }>;
    expect(event.event).toMatchObject({ parsedRevision: 2n, parsedPosition: log.events[4].position, data: { reason: '修正前の文, "引用" と改行\nを含む' } });
    expect((records[4] as Extract<ExportLine, { kind: 'stream-proof' }>).proof).toEqual(tree.proofFor('Proposal-A'));
    expect((records[5] as Extract<ExportLine, { kind: 'checkpoint' }>).checkpoint).toEqual(checkpoint);
  });

  it('refuses to put another stream in a stream export, or a proof in a log export', async () => {
    await expect(exportLines({ scope: { kind: 'stream', streamName: 'Proposal-A' }, events: log.events })).rejects.toThrow(/Comment-B/);
    const { checkpoint, tree } = await checkpointOf(log.events, key.signingKey, null);
    await expect(exportLines({ scope: { kind: 'log' }, events: [], checkpoints: [checkpoint], streamProof: tree.proofFor('Proposal-A') })).rejects.toThrow(
      RangeError,
    );
  });

  describe('reading a damaged file names the line', () => {
    const header = JSON.stringify({ kind: 'header', format: 'kyogi-export', version: 1, exportedAt: '2026-04-02T00:00:00.000Z', scope: { kind: 'log' } });
    const event = (over: Record<string, unknown> = {}) =>
      JSON.stringify({
        kind: 'event',
        ...JSON.parse(JSON.stringify({ ...log.events[0], revision: '0', position: '00000000000003e9.0000000000000001' })),
        ...over,
      });
    const cases: [string, string[], RegExp][] = [
      ['not JSON', [header, '{"kind":"event",'], /^line 2: not JSON$/],
      ['no header', [event()], /^line 1: the export must start with its header$/],
      ['a second header', [header, event(), header], /^line 3: a second header$/],
      ['another format', [header.replace('kyogi-export', 'other')], /^line 1: not a Kyogi export/],
      ['a later version', [header.replace('"version":1', '"version":2')], /^line 1: export version 2 is not supported/],
      ['a revision that is not a number', [header, '', event({ revision: '1e3' })], /^line 3: "revision" must be a decimal number/],
      ['a bad position', [header, event({ position: '12' })], /^line 2: "position" must be/],
      ['data that is not an object', [header, event({ data: [1] })], /^line 2: "data" must be a JSON object$/],
      ['an unknown record', [header, JSON.stringify({ kind: 'comment' })], /^line 2: unknown record kind "comment"$/],
      [
        'an event after the keys',
        [header, JSON.stringify({ kind: 'key', kty: 'OKP', crv: 'Ed25519', x: 'x', kid: 'k' }), event()],
        /^line 3: a record of kind event after the key records \(the order is/,
      ],
      ['a malformed checkpoint', [header, JSON.stringify({ kind: 'checkpoint', format: 'kyogi-checkpoint/1', sequence: 0 })], /^line 2: checkpoint "sequence"/],
      ['nothing at all', [], /^the export is empty$/],
    ];
    it.each(cases)('%s', async (_what, lines, message) => {
      const error = await collect(readExport(lines)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExportFormatError);
      expect((error as Error).message).toMatch(message);
    });

    it('an event of another stream in a stream export', async () => {
      const streamHeader = header.replace('{"kind":"log"}', '{"kind":"stream","streamName":"Comment-B"}');
      await expect(collect(readExport([streamHeader, event()]))).rejects.toThrow('line 2: an event of stream Proposal-A in an export of stream Comment-B');
    });
  });

  it('streams: events are pulled from the source as lines are taken', async () => {
    let pulled = 0;
    async function* events() {
      for (const e of log.events) {
        pulled += 1;
        yield e;
      }
    }
    const lines = writeExport({ scope: { kind: 'log' }, exportedAt: new Date(), events: events() });
    await lines.next();
    await lines.next();
    expect(pulled).toBe(1);
  });
});

describe('the CSV for people', () => {
  it('starts with a UTF-8 BOM and a heading row, one CRLF row per event', async () => {
    const log = new TestLog().fill(['Proposal-A'], 2);
    const text = (await collect(writeEventsCsv(log.events))).join('');
    expect(text.startsWith('\uFEFF日時 (time),ストリーム (stream),')).toBe(true);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = text.slice(1).split('\r\n');
    expect(rows).toHaveLength(4); // heading, two events, and the empty remainder after the last CRLF
    expect(rows[0].split(',')).toEqual([...EVENTS_CSV_COLUMNS]);
    expect(rows[2]).toBe(`${log.events[1].metadata.occurredAt},Proposal-A,1,ThingHappened,person-staff-1,011002,${log.events[1].hash}`);
    expect(rows[3]).toBe('');
  });

  it('writes names when given, with the ids beside them', async () => {
    const log = new TestLog().fill(['Proposal-A'], 1);
    const text = (
      await collect(writeEventsCsv(log.events, { personName: () => '山田 太郎', organisationName: (id) => (id === '011002' ? '札幌市' : undefined) }))
    ).join('');
    expect(text.split('\r\n')[1]).toContain(',山田 太郎 (person-staff-1),札幌市 (011002),');
  });

  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvField('札幌市')).toBe('札幌市');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+81')).toBe("'+81");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('')).toBe('');
  });
});
