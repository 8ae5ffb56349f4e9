import { inflateRawSync } from 'node:zlib';

/**
 * An .xlsx is a zip archive. Before a spreadsheet library unpacks one sent by a user, this checks
 * that it is one, and that it does not unpack into more than `maxUnpackedBytes` (a "zip bomb": a
 * 1 MB file can inflate to a gigabyte): it inflates every entry itself, stopping at the bound,
 * rather than trusting the sizes the archive declares.
 */
export type ZipProblem = { readonly code: 'NOT_XLSX'; readonly message: string } | { readonly code: 'FILE_TOO_LARGE'; readonly message: string };

export interface ZipLimits {
  readonly maxUnpackedBytes: number;
  readonly maxEntries: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
// Compound File Binary: Excel 97-2003 .xls, and every password-protected .xlsx.
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const notXlsx = (message: string): ZipProblem => ({ code: 'NOT_XLSX', message });

/** Null when the bytes are a zip archive holding an Excel workbook within the limits; the problem otherwise. */
export function checkXlsxArchive(bytes: Buffer, limits: ZipLimits): ZipProblem | null {
  if (bytes.length >= OLE.length && bytes.subarray(0, OLE.length).equals(OLE)) {
    return notXlsx('The file is an Excel 97-2003 workbook (.xls) or a password-protected one: save it as an .xlsx workbook without a password.');
  }
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== LOCAL_HEADER) return notXlsx('The file is not an .xlsx workbook (an .xlsx file is a zip archive).');

  // The end of central directory record: in the last 22 bytes, or before a comment of up to 65,535 bytes.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return notXlsx('The file is not a complete .xlsx workbook (its zip directory is missing: was the upload cut short?).');
  const entries = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff) return notXlsx('The file is a ZIP64 archive, which an .xlsx workbook of this size never is.');
  if (entries > limits.maxEntries) return { code: 'FILE_TOO_LARGE', message: `The workbook holds ${entries} parts; at most ${limits.maxEntries} are read.` };

  let unpacked = 0;
  let workbook = false;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_HEADER)
      return notXlsx('The file is not a valid .xlsx workbook (its zip directory is damaged).');
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (name === 'xl/workbook.xml') workbook = true;
    if (flags & 1) return notXlsx('The workbook is encrypted: save it without a password.');

    if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== LOCAL_HEADER) {
      return notXlsx('The file is not a valid .xlsx workbook (a part of it is missing).');
    }
    const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) return notXlsx('The file is not a complete .xlsx workbook (was the upload cut short?).');
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    const room = limits.maxUnpackedBytes - unpacked;
    if (method === 0) {
      unpacked += data.length;
    } else if (method === 8) {
      try {
        unpacked += inflateRawSync(data, { maxOutputLength: Math.max(1, room + 1) }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') unpacked = limits.maxUnpackedBytes + 1;
        else return notXlsx(`The file is not a valid .xlsx workbook (${name} cannot be unpacked).`);
      }
    } else {
      return notXlsx(`The file is not an .xlsx workbook Excel writes (${name} is packed with method ${method}).`);
    }
    if (unpacked > limits.maxUnpackedBytes) {
      return {
        code: 'FILE_TOO_LARGE',
        message: `The workbook unpacks to more than ${limits.maxUnpackedBytes / 1_048_576} MB; a matrix never needs that much.`,
      };
    }
  }
  return workbook ? null : notXlsx('The file is a zip archive but not an Excel workbook (it has no xl/workbook.xml).');
}
