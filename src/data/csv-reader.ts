// Reading CSV records: csv-parse streaming, delimiter sniffing, and line numbers for error messages.
// Records are counted, not tracked by line (csv-parse's per-record info objects halve its speed); an error in
// record k is rethrown as '<path>:<line>: ...' after a second, short pass that finds where record k ends.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

export interface CsvRecord {
  cells: string[];
  /** 0-based record index (the header is record 0); turned into a line number only for error messages. */
  rec: number;
}

/** An error in one record; rethrown as '<path>:<line>: message' once the line is looked up. */
export class RowError extends Error {
  constructor(
    readonly rec: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Line where record `rec` ends (a second pass with csv-parse's line info, run only for error messages). */
export async function lineOf(path: string, delimiter: string, rec: number): Promise<number> {
  const parser = createReadStream(path).pipe(parse({ delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, to: rec + 1 }));
  let line = rec + 1;
  try {
    for await (const item of parser as AsyncIterable<{ info: { lines: number } }>) line = item.info.lines;
  } catch {
    // keep the estimate
  }
  return line;
}

/** Run a pass over the file; RowErrors become one-line messages naming the file and line. */
export async function withLines<T>(path: string, delimiter: string, pass: () => Promise<T>): Promise<T> {
  try {
    return await pass();
  } catch (err) {
    if (err instanceof RowError) throw new Error(`${path}:${await lineOf(path, delimiter, err.rec)}: ${err.detail}`);
    throw err;
  }
}

export async function checkFile(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`CSV file not found: ${path}`);
  }
  if (info.isDirectory()) throw new Error(`${path} is a directory, expected a CSV file.`);
  if (info.size === 0) throw new Error(`CSV file ${path} is empty.`);
}

/** Pick the delimiter that splits the first line (outside quotes) into the most fields. */
export async function sniffDelimiter(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0], ['|', 0]]);
    let quoted = false;
    for (const ch of text) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && (ch === '\n' || ch === '\r')) break;
      else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    }
    let best = ',';
    for (const [d, c] of counts) if (c > counts.get(best)!) best = d;
    return best;
  } finally {
    await fh.close();
  }
}

/** Bytes of the file read so far, for progress display (called at most every few thousand records). */
export type ByteProgress = (bytesRead: number, totalBytes: number) => void;

export async function* readRecords(path: string, delimiter: string, onBytes?: ByteProgress): AsyncGenerator<CsvRecord> {
  const stream = createReadStream(path);
  const total = onBytes ? (await stat(path)).size : 0;
  const parser = stream.pipe(parse({ delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }));
  let rec = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (onBytes && (rec & 4095) === 0) onBytes(stream.bytesRead, total);
      yield { cells, rec: rec++ };
    }
    onBytes?.(total, total);
  } catch (err) {
    const e = err as Error & { lines?: number; code?: string; records?: number; index?: number };
    if (e.message.startsWith(path)) throw e;
    if (e.code === 'CSV_QUOTE_NOT_CLOSED' && typeof e.records === 'number') {
      // csv-parse reports the end of the file; the quote opened in record `records`, field `index`.
      const line = await openingQuoteLine(path, delimiter, e.records, e.index ?? 0);
      throw new Error(`${path}:${line}: a quoted field opens here and its closing quote is missing (the rest of the file was read as part of it).`);
    }
    throw new Error(`${path}${e.lines ? `:${e.lines}` : ''}: cannot parse CSV: ${e.message}`);
  }
}

/** Line of the quote that opens field `field` of record `rec` (which never closes): where the user has to look. */
async function openingQuoteLine(path: string, delimiter: string, rec: number, field: number): Promise<number> {
  let line = rec === 0 ? 1 : (await lineOf(path, delimiter, rec - 1)) + 1;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  let started = false;
  let f = 0;
  let quoted = false;
  try {
    for await (const text of lines) {
      n++;
      if (n < line) continue;
      if (!started && text.trim() === '') {
        line++; // empty lines between records are skipped by the parser
        continue;
      }
      started = true;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
          if (ch === '"') {
            if (text[i + 1] === '"') i++;
            else quoted = false;
          }
        } else if (ch === '"') {
          if (f >= field) return n;
          quoted = true;
        } else if (text.startsWith(delimiter, i)) f++;
      }
    }
  } finally {
    lines.close();
  }
  return line;
}

/** A cell for an error message: quoted, and cut short when long (a 50 MB cell must not become a 50 MB message). */
export function showCell(value: string, max = 40): string {
  return value.length <= max ? `'${value}'` : `'${value.slice(0, max)}...' (${value.length.toLocaleString('en-US')} characters)`;
}

/** 'a', 'b', 'c', ... (1,461 in all): lists in error messages stay one readable line. */
export function showList(values: readonly string[], max = 10): string {
  const shown = values.slice(0, max).map((v) => showCell(v)).join(', ');
  return values.length <= max ? shown : `${shown}, ... (${values.length.toLocaleString('en-US')} in all)`;
}
