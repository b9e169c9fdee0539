/**
 * The app `cdk.json` runs. The CloudFormation target (aws-cdk-lib stacks) is tracked in issue #3 and not built yet:
 * fail loudly rather than synthesize an empty cloud assembly.
 */
process.stderr.write('private-ai-boundary: the CloudFormation target is not implemented yet (issue #3). ' +
  'Use `pab synth --target kubernetes`.\n');
process.exitCode = 2;
