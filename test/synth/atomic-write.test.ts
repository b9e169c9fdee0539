import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirectoriesAtomically } from '../../lib/synth/atomic-write';

let out: string;
beforeEach(() => { out = mkdtempSync(join(tmpdir(), 'pab-atomic-')); });
afterEach(() => rmSync(out, { recursive: true, force: true }));

const file = (content: string) => [{ path: 'manifests.yaml', content }];
const read = (dir: string) => readFileSync(join(out, dir, 'manifests.yaml'), 'utf8');

test('replaces each directory whole: stale files of the previous run do not survive', () => {
  writeDirectoriesAtomically(out, [{ dir: join(out, 'b1/kubernetes'), files: [...file('old'), { path: 'stale.yaml', content: 'x' }] }]);
  writeDirectoriesAtomically(out, [{ dir: join(out, 'b1/kubernetes'), files: file('new') }]);
  expect(read('b1/kubernetes')).toBe('new');
  expect(existsSync(join(out, 'b1/kubernetes/stale.yaml'))).toBe(false);
  expect(readdirSync(out).filter((f) => f.startsWith('.pab-tmp'))).toEqual([]);
});

test('a swap that fails midway undoes the swaps already made: previous output intact everywhere', () => {
  writeDirectoriesAtomically(out, ['b1', 'b2', 'b3'].map((b) => ({ dir: join(out, b, 'kubernetes'), files: file(`old ${b}`) })));
  // b4's parent is a file: its swap fails after b1..b3 were swapped.
  writeFileSync(join(out, 'b4'), 'not a directory');
  expect(() => writeDirectoriesAtomically(out, ['b1', 'b2', 'b3', 'b4'].map((b) => ({ dir: join(out, b, 'kubernetes'), files: file(`new ${b}`) })))).toThrow();
  expect(['b1', 'b2', 'b3'].map((b) => read(`${b}/kubernetes`))).toEqual(['old b1', 'old b2', 'old b3']);
  expect(readdirSync(out).filter((f) => f.startsWith('.pab-tmp'))).toEqual([]);
});

test('a failed first write to a new directory leaves nothing behind', () => {
  mkdirSync(join(out, 'b1'));
  writeFileSync(join(out, 'b1', 'kubernetes'), 'a file where a directory goes');
  expect(() => writeDirectoriesAtomically(out, [{ dir: join(out, 'b0/kubernetes'), files: file('x') }, { dir: join(out, 'b1/kubernetes/sub'), files: file('y') }])).toThrow();
  expect(existsSync(join(out, 'b0/kubernetes'))).toBe(false); // the swap was undone
});
