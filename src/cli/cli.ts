/**
 * The cathode-twin CLI as a function: `runCli(argv)` parses, runs one verb and returns the exit status, so tests run
 * it in process (src/cli/main.ts is the executable entry). One verb per file in `src/cli/commands/<verb>.ts`, each
 * default-exporting a yargs CommandModule; they are discovered here, so adding a verb touches no other file.
 *
 * Errors, always one line on stderr:
 * - bad input (an InputError, or a yargs usage error: unknown option, missing required option, a value outside the
 *   choices, an option without its value) → `cathode-twin: invalid input: <field>: got …; allowed: …`, status 2;
 * - a file-system failure during the work (disk full, permissions changed) → `cathode-twin: file system: …`, status 1;
 * - anything else is a bug → `cathode-twin: internal error: <message> (…)`, status 1; the stack only with
 *   CATHODE_TWIN_DEBUG=1.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { InputError } from '../core/errors.js';

const here = dirname(fileURLToPath(import.meta.url));

let commandsCache: CommandModule[] | undefined;
/** The verbs, one module per file in ./commands (sorted by file name). */
export async function loadCommands(): Promise<CommandModule[]> {
  if (commandsCache) return commandsCache;
  const dir = join(here, 'commands');
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .sort();
  const out: CommandModule[] = [];
  for (const f of files) out.push(((await import(pathToFileURL(join(dir, f)).href)) as { default: CommandModule }).default);
  commandsCache = out;
  return out;
}

/** A yargs usage error (reformatted into the InputError form). */
class UsageError extends Error {}

/** Each verb's name ("run", "bench", …) and its positional arguments ("area"), from the command strings. */
function verbsOf(commands: readonly CommandModule[]): { verb: string; positionals: string[] }[] {
  return commands.map((c) => {
    const words = String(Array.isArray(c.command) ? c.command[0] : c.command).split(/\s+/);
    return { verb: words[0]!, positionals: words.slice(1).map((w) => w.replace(/[<>[\].]/g, '')) };
  });
}

/**
 * Joins an option and a value that starts with '-' and a digit ("--size -10 Å", "--defocus -20 Å") into one
 * `--size=-10 Å` token, so that a negative number is read as the value, not as short flags.
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (/^--[A-Za-z][\w-]*$/.test(a) && !a.startsWith('--no-') && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** What an option is for (its --help description), from the usage instance yargs passes to the fail handler. */
function describeOption(usage: unknown, key: string): string | undefined {
  try {
    const d = (usage as { getDescriptions?: () => Record<string, string | undefined> }).getDescriptions?.()[key];
    return typeof d === 'string' && d !== '' ? d.replace(/^__yargsString__:/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** How the user wrote name `k`: an option (--name, -n) if it appears as one in argv, else a bare word. */
const asWritten = (k: string, argv: readonly string[]): string => {
  const opt = k.length === 1 ? `-${k}` : `--${k}`;
  return argv.some((a) => a === opt || a.startsWith(`${opt}=`)) ? opt : k;
};
const optName = (k: string): string => (k.length === 1 ? `-${k}` : `--${k}`);

/** A yargs usage message → an InputError (one line: field, value, what is allowed). */
export function usageToInputError(msg: string, usage: unknown, argv: readonly string[], commands: readonly { verb: string; positionals: string[] }[]): InputError {
  const verbs = commands.map((c) => c.verb);
  const verb = argv.find((a) => !a.startsWith('-'));
  const cmd = commands.find((c) => c.verb === verb);
  const help = cmd ? `see cathode-twin ${verb} --help` : 'see cathode-twin --help';
  const where = cmd ? `cathode-twin ${verb}` : 'cathode-twin';
  let m: RegExpExecArray | null;
  if (!cmd && verb !== undefined && (m = /Did you mean (.+)\?/.exec(msg))) return new InputError('command', verb, `one of ${verbs.join(', ')}`, `did you mean ${m[1]}?`);
  if ((m = /^Missing required arguments?: (.+)$/m.exec(msg))) {
    const keys = m[1]!.split(',').map((s) => s.trim());
    const d = describeOption(usage, keys[0]!);
    return new InputError(keys.map(optName).join(', '), '(missing)', d ? `a value: ${d}` : 'a value (required)', help);
  }
  if ((m = /Argument: (.+?), Given: (.+?), Choices: (.+)$/m.exec(msg))) {
    const key = m[1]!;
    const field = cmd?.positionals.includes(key) && !argv.some((a) => a === `--${key}` || a.startsWith(`--${key}=`)) ? key : optName(key);
    return new InputError(field, m[2]!.replace(/^"(.*)"$/, '$1'), `one of ${m[3]!.replace(/"/g, '')}`, help);
  }
  if ((m = /^Not enough arguments following: (.+)$/m.exec(msg))) {
    const key = m[1]!.trim();
    const d = describeOption(usage, key);
    return new InputError(optName(key), '(nothing)', d ? `a value: ${d}` : 'a value after the option', `a value starting with "-" can be given as ${optName(key)}=-10; ${help}`);
  }
  if ((m = /^Unknown (?:arguments?|commands?): (.+)$/m.exec(msg))) {
    const names = m[1]!.split(',').map((s) => s.trim());
    if (!cmd && verb !== undefined && names.includes(verb)) return new InputError('command', verb, `one of ${verbs.join(', ')}`, help);
    return new InputError(where, names.map((n) => asWritten(n, argv)).join(' '), cmd ? `the options of ${verb} (quote values that contain spaces)` : 'a command and its options', help);
  }
  if (/^Not enough non-option arguments|Name a command/m.test(msg)) {
    if (cmd && cmd.positionals.length > 0) {
      const d = describeOption(usage, cmd.positionals[0]!);
      return new InputError(cmd.positionals[0]!, '(missing)', d ? `a value: ${d}` : 'a value (required)', help);
    }
    return new InputError('command', '(none)', `one of ${verbs.join(', ')}`, help);
  }
  if (/^Too many non-option arguments/m.test(msg)) {
    return new InputError(where, argv.filter((a) => !a.startsWith('-')).slice(1).join(' '), 'no extra words (quote values that contain spaces)', help);
  }
  const first = msg.split('\n').find((l) => l.trim() !== '') ?? msg;
  return new InputError(where, argv.join(' '), first.trim(), help);
}

/** File-system error codes that are the environment's, not a bug. */
const FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOENT', 'EMFILE', 'ENFILE', 'EIO', 'ENAMETOOLONG', 'EBUSY', 'ENOTEMPTY', 'EXDEV']);

/** The one line (and exit status) reporting any error. */
export function formatError(err: unknown): { line: string; status: number } {
  if (err instanceof InputError) return { line: `cathode-twin: invalid input: ${err.message}`, status: 2 };
  const e = err instanceof Error ? err : new Error(String(err));
  const debug = process.env.CATHODE_TWIN_DEBUG === '1' || process.env.CATHODE_TWIN_DEBUG === 'true';
  const first = (e.message.split('\n')[0] ?? '').trim();
  const stack = debug && e.stack ? `\n${e.stack}` : '';
  const code = (e as NodeJS.ErrnoException).code;
  if (code && FS_CODES.has(code)) return { line: `cathode-twin: file system: ${first}${stack}`, status: 1 };
  if (e instanceof RangeError && /allocation failed|Invalid (typed )?array length|Array buffer/i.test(first)) {
    return { line: `cathode-twin: out of memory: ${first} (a smaller size fits; CATHODE_TWIN_DEBUG=1 shows where)${stack}`, status: 1 };
  }
  return { line: `cathode-twin: internal error: ${e.name !== 'Error' ? `${e.name}: ` : ''}${first} (this is a bug: please report it with the command; CATHODE_TWIN_DEBUG=1 shows the stack)${stack}`, status: 1 };
}

/** Builds the yargs parser of all verbs. */
export async function buildParser(argv: readonly string[]): Promise<Argv> {
  const commands = await loadCommands();
  let cli = yargs([...argv])
    .scriptName('cathode-twin')
    .usage(
      '$0 <command> [options]\n\n' +
        'Physics simulation and digital twin of Ni-rich layered oxide cathodes heated in the STEM.\n' +
        'Physical options take unit strings ("175 degC", "1.2e-5 Pa", "5 min", "2.872 Å", "15.07 mrad"),\n' +
        'converted once to Å, K, Pa, s, mrad, V, eV. Bad input exits with status 2 and one line naming the option.',
    )
    .strict()
    .demandCommand(1, 'Name a command (see --help).')
    .recommendCommands()
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err, y) => {
      if (err) throw err;
      throw Object.assign(new UsageError(msg), { input: usageToInputError(msg, y, argv, verbsOf(commands)) });
    })
    .help()
    .alias('h', 'help')
    .version();
  for (const c of commands) cli = cli.command(c);
  return cli;
}

/**
 * Runs the CLI on `argv` (without node and script). Returns the exit status: 0 success, 2 bad input, 1 other
 * errors; the error line goes to `stderr` (default process.stderr).
 */
export async function runCli(argv: readonly string[], stderr: (s: string) => void = (s) => void process.stderr.write(s)): Promise<number> {
  const args = joinNegativeValues(argv);
  try {
    const cli = await buildParser(args);
    await cli.parseAsync();
    return 0;
  } catch (err) {
    const e = err instanceof UsageError ? (err as UsageError & { input: InputError }).input : err;
    const { line, status } = formatError(e);
    stderr(`${line}\n`);
    return status;
  }
}
