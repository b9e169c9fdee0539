/** The text of `pab --help`. */
export const USAGE = `pab — private AI boundary: validate and synthesize boundary specs

Usage:
  pab validate <spec|dir>... [--json]
  pab synth <spec|dir>... [--target kubernetes|cloudformation|pulumi|all] [--out dist] [--json]
  pab --help | --version

Commands:
  validate   check every spec (all problems at once, file:line:col, stable codes)
  synth      validate, then write dist/<boundary>/<target>/ for every spec (atomic: all or nothing)

Options:
  --target   what to synthesize, one or a comma-separated list (default: kubernetes);
             cloudformation applies to specs with an aws section and runs cdk-nag + the CloudFormation validator;
             pulumi writes a Pulumi project (Pulumi.yaml, Pulumi.<name>.yaml, index.ts, package.json) and
             resources.json, every resource the program registers, recorded offline (Pulumi mock runtime)
  --out      output directory (default: dist)
  --json     machine-readable result on stdout

Exit codes: 0 ok, 1 invalid input, 2 usage or target not implemented, 70 internal error.
`;

/** A usage problem: exit code 2. */
export class UsageError extends Error {
  constructor(message: string, public readonly showUsage: boolean = true) {
    super(message);
    this.name = 'UsageError';
  }
}
