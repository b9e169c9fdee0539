// Lint is part of `npm test`. Two jobs beyond style:
//  1. keep the architecture honest: lib/spec and lib/plan import no backend; no renderer imports another;
//  2. catch tests that cannot fail (jest/expect-expect, jest/valid-expect).
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

const BACKENDS = ['aws-cdk-lib', 'aws-cdk-lib/*', 'cdk8s', 'cdk8s-plus-28', '@pulumi/*', 'constructs'];
const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ group, message })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', 'dist/**', 'cdk.out/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Byte-identical output on every machine: locale-aware comparison orders differently per LC_ALL.
    files: ['lib/**/*.ts', 'charts/**/*.ts', 'stacks/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='localeCompare']",
        message: 'localeCompare depends on the machine locale: use ordinal() (lib/k8s/k8s-object.ts) or plain < / >.',
      }],
    },
  },
  {
    files: ['lib/spec/**/*.ts', 'lib/plan/**/*.ts'],
    rules: restrict([BACKENDS, ['**/k8s/**', '**/aws/**', '**/pulumi/**', '**/posture/**', '**/cli/**']],
      'lib/spec and lib/plan are target-neutral: no backend and no renderer imports (docs/ARCHITECTURE.md).'),
  },
  {
    files: ['lib/k8s/**/*.ts'],
    rules: restrict([['aws-cdk-lib', 'aws-cdk-lib/*', '@pulumi/*', '**/aws/**', '**/pulumi/**', '**/cli/**']],
      'A renderer imports spec/plan only, never another renderer.'),
  },
  {
    files: ['lib/aws/**/*.ts'],
    rules: restrict([['cdk8s', 'cdk8s-plus-28', '@pulumi/*', '**/k8s/**', '**/pulumi/**', '**/cli/**']],
      'A renderer imports spec/plan only, never another renderer.'),
  },
  {
    files: ['lib/pulumi/**/*.ts'],
    rules: restrict([['aws-cdk-lib', 'aws-cdk-lib/*', '**/aws/**', '**/cli/**']],
      'The Pulumi renderer consumes the Kubernetes chart output objects only (STYLE.md), never the AWS renderer.'),
  },
  {
    // lib/posture reads synthesized artifacts as data: it never builds them (only the K8sObject type and ordinal()).
    files: ['lib/posture/**/*.ts'],
    rules: restrict([[...BACKENDS, '**/aws/**', '**/k8s/**', '!**/k8s/k8s-object', '**/pulumi/**', '**/cli/**', '**/synth/**', '**/charts/**', '**/stacks/**']],
      'lib/posture reads artifacts as data: no backend, renderer, synth or CLI import (docs/ARCHITECTURE.md).'),
  },
  {
    // ...except postureOfPlan, which renders the targets in memory through lib/synth/targets.ts.
    files: ['lib/posture/build.ts'],
    rules: restrict([[...BACKENDS, '**/aws/**', '**/k8s/**', '!**/k8s/k8s-object', '**/pulumi/**', '**/cli/**', '**/synth/**', '!**/synth/targets', '**/charts/**', '**/stacks/**']],
      'lib/posture reads artifacts as data; build.ts may import lib/synth/targets.ts only (postureOfPlan).'),
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*', 'fc.assert'] }],
      'jest/valid-expect': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/no-focused-tests': 'error',
      'jest/no-conditional-expect': 'error',
      // Tests walk synthesized JSON of many shapes; typing every shape would add noise, not safety.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
