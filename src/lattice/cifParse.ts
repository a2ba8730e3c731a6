/**
 * CIF 1.1 syntax: tokens, tag–value pairs and loops of the first data block, with line numbers so
 * that errors name the line. Values keep their text ('4.1771(2)'); `cifNumber` strips the
 * standard uncertainty. Only the first data block is read.
 */
import { InputError } from '../core/index.js';

interface Token {
  readonly text: string;
  readonly line: number;
  /** True for quoted strings and text fields (never a tag or a keyword). */
  readonly quoted: boolean;
}

/** One data block: single-valued tags and loops (tags lower-cased). */
export interface CifBlock {
  readonly name: string;
  readonly values: Map<string, { value: string; line: number }>;
  readonly loops: { tags: string[]; rows: string[][]; line: number }[];
}

/** White space: one definition for skipping and for ending tokens. */
const WS = /\s/;

function tokenize(text: string, field: string): Token[] {
  const out: Token[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!;
    if (line.startsWith(';')) {
      // Text field: until a line starting with ';'.
      const start = ln;
      const parts = [line.slice(1)];
      ln++;
      while (ln < lines.length && !lines[ln]!.startsWith(';')) parts.push(lines[ln++]!);
      if (ln >= lines.length) throw new InputError(`${field} line ${start + 1}`, line, 'a text field closed by a line starting with ";"');
      out.push({ text: parts.join('\n').trim(), line: start + 1, quoted: true });
      continue;
    }
    let p = 0;
    while (p < line.length) {
      const ch = line[p]!;
      // Any white space separates tokens (NBSP, form feed, vertical tab from pasted web pages included): the same
      // test as the one that ends a token below, so the scan always advances.
      if (WS.test(ch)) {
        p++;
        continue;
      }
      if (ch === '#') break;
      if (ch === "'" || ch === '"') {
        // A quote ends at the same quote followed by whitespace or end of line.
        let q = p + 1;
        while (q < line.length && !(line[q] === ch && (q + 1 === line.length || WS.test(line[q + 1]!)))) q++;
        if (q >= line.length) throw new InputError(`${field} line ${ln + 1}`, line.trim(), `a closed ${ch}quoted${ch} string`);
        out.push({ text: line.slice(p + 1, q), line: ln + 1, quoted: true });
        p = q + 1;
        continue;
      }
      let q = p;
      while (q < line.length && !WS.test(line[q]!)) q++;
      out.push({ text: line.slice(p, q), line: ln + 1, quoted: false });
      p = q;
    }
  }
  return out;
}

/** Parse the first data block of a CIF text. `field` names the file in errors. */
export function parseCifBlock(text: string, field = 'cif'): CifBlock {
  const toks = tokenize(text, field);
  let t = 0;
  while (t < toks.length && !(toks[t]!.text.toLowerCase().startsWith('data_') && !toks[t]!.quoted)) t++;
  if (t >= toks.length) throw new InputError(field, text.slice(0, 60), 'a CIF with a data_ block');
  const block: CifBlock = { name: toks[t]!.text.slice(5), values: new Map(), loops: [] };
  t++;
  const isTag = (k: Token) => !k.quoted && k.text.startsWith('_');
  const isKeyword = (k: Token) => !k.quoted && /^(loop_|data_|save_|global_|stop_)/i.test(k.text);
  while (t < toks.length) {
    const tok = toks[t]!;
    if (!tok.quoted && tok.text.toLowerCase().startsWith('data_')) break;
    if (!tok.quoted && tok.text.toLowerCase() === 'loop_') {
      const tags: string[] = [];
      t++;
      while (t < toks.length && isTag(toks[t]!)) tags.push(toks[t++]!.text.toLowerCase());
      if (tags.length === 0) throw new InputError(`${field} line ${tok.line}`, 'loop_', 'loop_ followed by data names (_tag)');
      const vals: Token[] = [];
      while (t < toks.length && !isTag(toks[t]!) && !isKeyword(toks[t]!)) vals.push(toks[t++]!);
      if (vals.length % tags.length !== 0) {
        const last = vals[vals.length - 1];
        throw new InputError(
          `${field} line ${last?.line ?? tok.line}`,
          `${vals.length} values for ${tags.length} columns (${tags.join(' ')})`,
          'a loop whose value count is a multiple of its column count',
        );
      }
      const rows: string[][] = [];
      for (let r = 0; r < vals.length; r += tags.length) rows.push(vals.slice(r, r + tags.length).map((v) => v.text));
      block.loops.push({ tags, rows, line: tok.line });
      continue;
    }
    if (isTag(tok)) {
      const v = toks[t + 1];
      if (!v || isTag(v) || isKeyword(v)) throw new InputError(`${field} line ${tok.line}`, tok.text, `a value after data name ${tok.text}`);
      block.values.set(tok.text.toLowerCase(), { value: v.text, line: v.line });
      t += 2;
      continue;
    }
    throw new InputError(`${field} line ${tok.line}`, tok.text, 'a data name (_tag), loop_ or data_ block');
  }
  return block;
}

/** A CIF number: strips a standard uncertainty "4.1771(2)"; '.' and '?' are missing (NaN). */
export function cifNumber(text: string | undefined): number {
  // No number needs more than 64 characters (and the pattern below must not see megabyte-long digit runs).
  if (text === undefined || text === '.' || text === '?' || text.length > 64) return Number.NaN;
  const m = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\(\d+\))?$/.exec(text.trim());
  return m ? Number(m[1]) : Number.NaN;
}

/** Find the loop containing a tag (lower-case); returns column index too. */
export function findLoop(block: CifBlock, tag: string): { loop: CifBlock['loops'][number]; col: number } | undefined {
  for (const loop of block.loops) {
    const col = loop.tags.indexOf(tag);
    if (col >= 0) return { loop, col };
  }
  return undefined;
}
