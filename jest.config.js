/**
 * jest 29 + ts-jest 29 + TypeScript 5.9 are pinned together on purpose: jest 30 lockfiles written by
 * npm 11 miss optional packages and `npm ci` fails; TypeScript 7 is not supported by ts-jest or @pulumi/pulumi.
 * `isolatedModules` skips per-file type checking in ts-jest: `npm run typecheck` checks the whole tree once.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
