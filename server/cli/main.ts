/** The `opex` command line: lint, verify, scaffold. */
import { OPEX_VERSION } from '../engine/about';
import { processIO, type CliIO } from './io';
import { LINT_USAGE, lintCommand } from './lint';
import { scaffoldCommand } from './scaffold';
import { verifyCommand } from './verify';
import { UsageError } from './workspace';

const USAGE = `opex ${OPEX_VERSION} — Kubernetes operational-excellence checks

Usage:
  opex lint [paths…] [--spec FILE] [--format text|json|sarif|junit|github] [--fix]
  opex verify [--spec FILE] [--context NAME] [--only SC-001,…] [--allow-disruptive] [--format …]
  opex scaffold [--spec FILE] [--out DIR] [--force]

Run 'opex <command> --help' for a command's options.`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  lint: lintCommand,
  scaffold: scaffoldCommand,
  verify: verifyCommand,
};

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(OPEX_VERSION + '\n');
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`opex: unknown command '${command}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr(`opex ${command}: ${(err as Error).message}\n`);
      if (command === 'lint' && isParseArgsError(err)) io.stderr(`\n${LINT_USAGE}\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr(`opex ${command}: internal error: ${e?.message ?? String(err)}\nThis is a bug in opex; please report it with the command you ran.\n`);
    if (process.env.OPEX_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
    return 2;
  }
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`opex: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
