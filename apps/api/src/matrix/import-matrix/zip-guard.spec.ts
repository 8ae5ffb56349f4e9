import { deflateRawSync } from 'node:zlib';
import * as ExcelJS from 'exceljs';
import { checkXlsxArchive } from './zip-guard';

const LIMITS = { maxUnpackedBytes: 1_000_000, maxEntries: 50 };

/** A zip archive of deflated entries (no CRCs: the guard does not check them; a reader would). */
function zip(entries: Record<string, Buffer>, options: { encrypted?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = deflateRawSync(content);
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(options.encrypted ? 1 : 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(options.encrypted ? 1 : 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('the .xlsx archive check', () => {
  it('lets an Excel workbook through', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('意見照会').getCell('A1').value = '該当項目';
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(checkXlsxArchive(bytes, { maxUnpackedBytes: 10_000_000, maxEntries: 100 })).toBeNull();
  });

  it('refuses what is not a zip archive, naming .xls and password-protected workbooks', () => {
    expect(checkXlsxArchive(Buffer.from('No,該当項目,修文案\n1,2.1.3,案\n'), LIMITS)).toMatchObject({
      code: 'NOT_XLSX',
      message: expect.stringContaining('zip'),
    });
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    expect(checkXlsxArchive(ole, LIMITS)).toMatchObject({ code: 'NOT_XLSX', message: expect.stringContaining('.xls') });
  });

  it('refuses a zip archive that is not a workbook, or is cut short, or encrypted', () => {
    expect(checkXlsxArchive(zip({ 'word/document.xml': Buffer.from('<w/>') }), LIMITS)).toMatchObject({
      code: 'NOT_XLSX',
      message: expect.stringContaining('xl/workbook.xml'),
    });
    const whole = zip({ 'xl/workbook.xml': Buffer.from('<workbook/>') });
    expect(checkXlsxArchive(whole, LIMITS)).toBeNull();
    expect(checkXlsxArchive(whole.subarray(0, whole.length - 30), LIMITS)).toMatchObject({ code: 'NOT_XLSX' });
    expect(checkXlsxArchive(zip({ 'xl/workbook.xml': Buffer.from('<workbook/>') }, { encrypted: true }), LIMITS)).toMatchObject({ code: 'NOT_XLSX' });
  });

  it('refuses a zip bomb by inflating it up to the bound, whatever sizes it declares', () => {
    const bomb = zip({ 'xl/workbook.xml': Buffer.from('<workbook/>'), 'xl/sharedStrings.xml': Buffer.alloc(5_000_000) });
    expect(bomb.length).toBeLessThan(10_000);
    expect(checkXlsxArchive(bomb, LIMITS)).toMatchObject({ code: 'FILE_TOO_LARGE' });
    // The same, lying about its size in the directory.
    const lying = Buffer.from(bomb);
    const directory = lying.readUInt32LE(lying.length - 6);
    for (let at = directory; at < lying.length - 22;) {
      lying.writeUInt32LE(10, at + 24);
      at += 46 + lying.readUInt16LE(at + 28);
    }
    expect(checkXlsxArchive(lying, LIMITS)).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('refuses more parts than a workbook has', () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`xl/part${i}.xml`, Buffer.from('x')]));
    expect(checkXlsxArchive(zip({ 'xl/workbook.xml': Buffer.from('<w/>'), ...many }), LIMITS)).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });
});
