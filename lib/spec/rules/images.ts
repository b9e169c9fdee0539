import { show } from '../problems';
import type { RuleContext } from './context';

/** `registry/repo[:tag]@sha256:<64 lowercase hex>`. */
const PINNED = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?@sha256:[a-f0-9]{64}$/;

/** True when the image reference is pinned by a sha256 digest. */
export function isPinnedImage(image: string): boolean {
  return PINNED.test(image);
}

/** PAB-IMG-001: every image is pinned by digest, so what was reviewed is what runs. */
export function imageRules(ctx: RuleContext): void {
  const { spec } = ctx;
  const check = (image: string, path: readonly (string | number)[]): void => {
    if (!isPinnedImage(image)) {
      const hint = image.includes('@sha256:') ? 'the digest must be sha256 with 64 lowercase hex digits' : 'append @sha256:<digest> (tags are mutable)';
      ctx.problems.error('PAB-IMG-001', path, `${show(image)} is not pinned by digest — ${hint}`);
    }
  };
  check(spec.gateway.image, ['spec', 'gateway', 'image']);
  spec.models.forEach((m, i) => check(m.image, ['spec', 'models', i, 'image']));
  if (spec.gateway.presidio) {
    check(spec.gateway.presidio.analyzerImage, ['spec', 'gateway', 'presidio', 'analyzerImage']);
    check(spec.gateway.presidio.anonymizerImage, ['spec', 'gateway', 'presidio', 'anonymizerImage']);
  }
}
