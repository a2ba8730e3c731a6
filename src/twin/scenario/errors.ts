/**
 * zod issues → InputError naming the dotted field path (`protocol.hold`), the value given and
 * what is allowed (known keys for unknown keys, the choices for enums, ranges with units for
 * quantities).
 */
import type { z } from 'zod';
import { InputError } from '../../core/index.js';

type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown; options?: unknown[]; element?: unknown; left?: unknown };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** Object shapes reachable at `path` inside `schema` (through optional/default/pipe/union/array wrappers). */
function shapesAt(schema: unknown, path: readonly PropertyKey[]): Record<string, unknown>[] {
  const unwrap = (s: unknown): unknown[] => {
    const d = defOf(s);
    if (!d) return [];
    if (d.type === 'object') return [s];
    if (d.innerType) return unwrap(d.innerType);
    if (d.type === 'pipe') return unwrap(d.in);
    if (d.type === 'union') return (d.options ?? []).flatMap(unwrap);
    if (d.type === 'intersection') return unwrap(d.left);
    return [];
  };
  let cur = unwrap(schema);
  for (const key of path) {
    const next: unknown[] = [];
    for (const s of cur) {
      const d = defOf(s)!;
      if (typeof key === 'number') continue;
      const child = d.shape?.[String(key)];
      if (child === undefined) continue;
      const cd = defOf(child);
      if (cd?.type === 'array' || defOf(cd?.innerType)?.type === 'array') {
        const arr = cd?.type === 'array' ? cd : defOf(cd?.innerType)!;
        next.push(...unwrap(arr.element));
      } else next.push(...unwrap(child));
    }
    cur = next.length ? next : cur;
  }
  return cur.map((s) => defOf(s)!.shape ?? {});
}

function dotted(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Convert the first zod issue into an InputError (the number of further issues goes in the hint). */
export function issueToInputError(error: z.ZodError, schema: unknown, input: unknown, prefix = ''): InputError {
  const issues = error.issues;
  const issue = pickIssue(issues);
  const more = issues.length > 1 ? `${issues.length - 1} more issue(s) after fixing this one` : undefined;
  const at = (p: readonly PropertyKey[]) => (prefix ? `${prefix}.` : '') + dotted(p);
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  switch (i.code) {
    case 'unrecognized_keys': {
      const keys = (i.keys as string[]) ?? [];
      const known = [...new Set(shapesAt(schema, i.path).flatMap((s) => Object.keys(s)))];
      return new InputError(at([...i.path, keys[0] ?? '?']), keys.join(', '), `known keys here: ${known.join(', ') || '(none)'}`, more);
    }
    case 'custom': {
      const params = (i.params ?? {}) as { allowed?: string; hint?: string };
      return new InputError(at(i.path), i.input ?? valueAt(input, i.path), params.allowed ?? i.message, params.hint ?? more);
    }
    case 'invalid_value':
      return new InputError(at(i.path), valueAt(input, i.path), `one of ${((i.values as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`, more);
    case 'invalid_union': {
      // A discriminated union with a bad or missing discriminator reports here.
      const note = i.note as string | undefined;
      const v = valueAt(input, i.path);
      if (note === 'No matching discriminator' || (i.discriminator as string | undefined)) {
        const disc = (i.discriminator as string | undefined) ?? 'type';
        const p = i.path[i.path.length - 1] === disc ? i.path : [...i.path, disc];
        return new InputError(at(p), valueAt(input, p), 'one of "staircase", "ramp", "isothermal", "expression"', more);
      }
      const nested = (i.errors as z.core.$ZodIssue[][] | undefined)?.flat().find((e) => e.code === 'custom');
      if (nested) return issueToInputError({ issues: [{ ...nested, path: [...i.path, ...nested.path] }] } as unknown as z.ZodError, schema, input, prefix);
      return new InputError(at(i.path), v, i.message, more);
    }
    case 'invalid_type': {
      const v = valueAt(input, i.path);
      const expected = String(i.expected);
      if (v === undefined) return new InputError(at(i.path), undefined, `a required ${expected === 'object' ? 'section' : expected} (missing)`, more);
      return new InputError(at(i.path), v, `a ${expected}`, more);
    }
    case 'too_small':
      return new InputError(at(i.path), valueAt(input, i.path), `${i.inclusive === false ? '>' : '≥'} ${String(i.minimum)}${i.origin === 'array' ? ' items' : i.origin === 'string' ? ' characters' : ''}`, more);
    case 'too_big':
      return new InputError(at(i.path), valueAt(input, i.path), `${i.inclusive === false ? '<' : '≤'} ${String(i.maximum)}${i.origin === 'array' ? ' items' : i.origin === 'string' ? ' characters' : ''}`, more);
    default:
      return new InputError(at(i.path), valueAt(input, i.path), i.message, more);
  }
}

/** Prefer the most specific issue: unknown keys and custom (unit) issues first, then the deepest path. */
function pickIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  const rank = (c: string) => (c === 'unrecognized_keys' ? 0 : c === 'custom' ? 1 : 2);
  return [...issues].sort((a, b) => rank(a.code) - rank(b.code) || b.path.length - a.path.length)[0]!;
}
