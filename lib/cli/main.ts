import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from './report';
import { diffCommand, evidenceCommand, postureCommand } from './review-commands';
import { synthCommand } from './synth-command';
import { USAGE, UsageError } from './usage';
import { validateCommand } from './validate-command';

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  now: () => new Date(),
};

/** Runs `pab` with the given arguments; resolves to the process exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: 'string', default: 'kubernetes' },
        out: { type: 'string' },
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        ack: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (values.version) {
      io.out(`${version()}\n`);
      return 0;
    }
    const [command, ...inputs] = positionals;
    switch (command) {
      case 'validate':
        return validateCommand(inputs, values.json, io);
      case 'synth':
        return await synthCommand(inputs, { target: values.target, out: values.out ?? 'dist', json: values.json }, io);
      case 'posture':
        return await postureCommand(inputs, { format: values.format, out: values.out }, io);
      case 'diff':
        return await diffCommand(inputs, { format: values.format, out: values.out, failOn: values['fail-on'], ack: values.ack }, io);
      case 'evidence':
        return await evidenceCommand(inputs, { format: values.format, out: values.out }, io);
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command "${command}" — use validate, synth, posture, diff or evidence`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      const usage = !(e instanceof UsageError) || e.showUsage ? `\n${USAGE}` : '';
      io.err(`pab: ${(e as Error).message}\n${usage}`);
      return 2;
    }
    io.err(`pab: internal error: ${(e as Error).message}\n${process.env.PAB_DEBUG ? `${(e as Error).stack}\n` : 'Set PAB_DEBUG=1 for a stack trace, and please report it.\n'}`);
    return 70;
  }
}

function version(): string {
  for (const up of ['..', '../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'private-ai-boundary') return `${pkg.name} ${pkg.version}`;
    } catch {
      // keep looking upwards
    }
  }
  return 'private-ai-boundary (unknown version)';
}
