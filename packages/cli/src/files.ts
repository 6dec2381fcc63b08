import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { CliError, errorMessage } from './errors';

const gzip = promisify(gzipCallback);

/** A report file, read. */
export interface ReportFile {
  /** The path as given. */
  path: string;
  bytes: Buffer;
  /** Whether the file itself is gzip-compressed (e.g. `results.sarif.gz`). */
  gzipped: boolean;
}

/** Fails with a clear message unless every path is a readable file. */
export async function checkFilesExist(
  cwd: string,
  paths: string[],
): Promise<void> {
  for (const path of paths) {
    let isFile: boolean;
    try {
      isFile = (await stat(resolve(cwd, path))).isFile();
    } catch (error) {
      throw new CliError(`Cannot read ${path}: ${errorMessage(error)}`);
    }
    if (!isFile) {
      throw new CliError(`Cannot read ${path}: not a file`);
    }
  }
}

export async function readReportFile(
  cwd: string,
  path: string,
): Promise<ReportFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(cwd, path));
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${errorMessage(error)}`);
  }
  if (bytes.length === 0) {
    throw new CliError(`${path} is empty`);
  }
  return { path, bytes, gzipped: bytes[0] === 0x1f && bytes[1] === 0x8b };
}

/** The file's bytes gzip-compressed, as uploads send them. */
export async function gzippedBody(file: ReportFile): Promise<Buffer> {
  return file.gzipped ? file.bytes : gzip(file.bytes);
}
