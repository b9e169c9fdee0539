/** The text of `pab --help`. */
export const USAGE = `pab — private AI boundary: validate, synthesize and review boundary specs

Usage:
  pab validate <spec|dir>... [--json]
  pab synth <spec|dir>... [--target kubernetes|cloudformation|pulumi|all] [--out dist] [--json]
  pab posture <input> [--out file]
  pab diff <before> <after> [--format text|json|md|sarif] [--fail-on broadening|undetermined|never] [--ack file] [--out file]
  pab evidence <input> [--format md|html] [--out file]
  pab --help | --version

  <input> is a spec file, a boundary's output directory (dist/<name>) or a posture.json.

Commands:
  validate   check every spec (all problems at once, file:line:col, stable codes)
  synth      validate, then write dist/<boundary>/<target>/ for every spec, with posture.json and the evidence
             report (evidence.md, evidence.html) of what was synthesized (atomic: all or nothing)
  posture    what the synthesized artifacts allow (network paths, model access, identities, secrets, encryption,
             retention, redaction, hardening), read back from them, as posture.json
  diff       every change between two postures classified broadening / narrowing / neutral / undetermined
  evidence   the controls matrix and review checklist, computed from the posture

Options:
  --target   what to synthesize, one or a comma-separated list (default: kubernetes);
             cloudformation applies to specs with an aws section and runs cdk-nag + the CloudFormation validator;
             pulumi writes a Pulumi project (Pulumi.yaml, Pulumi.<name>.yaml, index.ts, package.json) and
             resources.json, every resource the program registers, recorded offline (Pulumi mock runtime)
  --out      synth: output directory (default: dist); posture, diff, evidence: write this file instead of stdout
  --json     machine-readable result on stdout
  --format   diff: text (default), json, md, sarif; evidence: md (default), html
  --fail-on  diff: exit 3 when a change of this kind is not acknowledged (default: never)
  --ack      diff: acknowledgements file (YAML/JSON: key, reason, ticket, expires per entry; expired ones do not count)

Exit codes: 0 ok, 1 invalid input, 2 usage, 3 diff: an unacknowledged change --fail-on names, 70 internal error.
`;

/** A usage problem: exit code 2. */
export class UsageError extends Error {
  constructor(message: string, public readonly showUsage: boolean = true) {
    super(message);
    this.name = 'UsageError';
  }
}
