import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'private-ai-boundary';

/** Nearest directory at or above `startDir` whose package.json is named `private-ai-boundary`; throws if none. */
export function findPackageRoot(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (parsed.name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable or invalid package.json is not ours: keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`readAsset: no package.json named "${PACKAGE_NAME}" found at or above ${path.resolve(startDir)}`);
    }
    dir = parent;
  }
}

/** Contents (utf8) of `assets/<fileName>` of this package, from source (ts-jest) or compiled (build/). */
export function readAsset(fileName: string): string {
  if (!fileName || path.isAbsolute(fileName) || fileName.split(/[\\/]/).includes('..')) {
    throw new Error(`readAsset: invalid asset name "${fileName}" (a relative path inside assets/ is expected)`);
  }
  const file = path.join(findPackageRoot(), 'assets', fileName);
  if (!fs.existsSync(file)) {
    throw new Error(`readAsset: asset "${fileName}" not found (looked for ${file})`);
  }
  return fs.readFileSync(file, 'utf8');
}
