import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** docs/ERRORS.md lists exactly the codes the code can emit. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('every problem code in lib/ is documented in docs/ERRORS.md, and nothing else is', () => {
  const root = join(__dirname, '..', '..');
  const used = new Set(sourceFiles(join(root, 'lib')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'(PAB-[A-Z0-9]+-\d{3})'/g)].map((m) => m[1])));
  const documented = new Set([...readFileSync(join(root, 'docs', 'ERRORS.md'), 'utf8').matchAll(/^\| (PAB-[A-Z0-9]+-\d{3}) \|/gm)].map((m) => m[1]));
  expect([...used].sort()).toEqual([...documented].sort());
});
