import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_LEVEL, AT_REST, IN_TRANSIT, LOCK_MODE, PSS, REDACTION, ROTATION_BY, type Lattice } from '../../../lib/posture/diff';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'POSTURE-DIFF.md'), 'utf8');

/** docs/POSTURE-DIFF.md states each lattice's direction as the code orders it (weakest first). */
test.each<[string, Lattice<string>]>([
  ['object lock', LOCK_MODE], ['encryption at rest', AT_REST], ['encryption in transit', IN_TRANSIT], ['pod security', PSS],
  ['redaction', REDACTION], ['rotation by', ROTATION_BY], ['access level', ACCESS_LEVEL],
])('the %s lattice is documented weakest first, as the code orders it', (_name, lattice) => {
  expect(doc).toContain(`| ${lattice.weakestFirst.map((v) => `\`${v}\``).join(' → ')} |`);
});
