import { loadSpec, type CheckedSpec } from './loader';
import { SpecError, type SpecProblem } from './problems';
import type { ResolvedSpec } from './resolve';
import type { BoundaryManifest } from './types';
import { validateManifest, type ValidateOptions } from './validate';

/**
 * A validated private AI boundary: the only input the plan layer and the renderers accept.
 * Construct it from a typed manifest (`new Boundary(manifest)`) or a file (`Boundary.fromFile(path)`);
 * either way every problem is reported at once in a `SpecError`.
 */
export class Boundary {
  /** Loads a YAML or JSON spec file; problems carry file:line:col. */
  public static fromFile(file: string, options: ValidateOptions = {}): Boundary {
    const loaded = loadSpec(file, options);
    return new Boundary(loaded.spec, loaded.warnings, file);
  }

  /** A boundary from a file already checked with `checkSpecFile` (no second parse); throws when it has errors. */
  public static fromChecked(checked: CheckedSpec): Boundary {
    if (!checked.spec) throw new SpecError(checked.problems, checked.file);
    return new Boundary(checked.spec, checked.problems, checked.file);
  }

  /** Validates a manifest written in TypeScript. */
  public static fromManifest(manifest: BoundaryManifest, options: ValidateOptions = {}): Boundary {
    const result = validateManifest(manifest, options);
    if (!result.spec) throw new SpecError(result.problems, manifest?.metadata?.name);
    return new Boundary(result.spec, result.problems);
  }

  /** The boundary name (`metadata.name`). */
  public readonly name: string;

  private constructor(
    /** The spec with every default applied. */
    public readonly spec: ResolvedSpec,
    /** Warnings raised by validation. */
    public readonly warnings: readonly SpecProblem[],
    /** The file it came from, when any. */
    public readonly source?: string,
  ) {
    this.name = spec.name;
  }
}
