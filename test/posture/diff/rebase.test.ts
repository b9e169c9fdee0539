import { postureOfPlan } from '../../../lib/posture/build';
import { classify, rebasePosture } from '../../../lib/posture/diff';
import { exampleVariant } from '../../helpers/examples';

/** A customer against a golden baseline spec: two boundaries line up once their own names are placeholders. */
describe('rebasePosture', () => {
  const customer = exampleVariant('initech-onprem', () => undefined);
  const renamed = exampleVariant('initech-onprem', (m) => { m.metadata.name = 'golden-baseline'; });
  const renamedWider = exampleVariant('initech-onprem', (m) => {
    m.metadata.name = 'golden-baseline';
    m.spec.network.consumers[1].cidr = '192.168.0.0/16';
  });

  test('the same boundary under another name: every entry lines up, nothing but neutral changes', async () => {
    const [a, b] = [await postureOfPlan(customer), await postureOfPlan(renamed)];
    expect(classify(a, b).filter((c) => c.kind !== 'neutral').length).toBeGreaterThan(0);
    expect(classify(rebasePosture(a), rebasePosture(b)).filter((c) => c.kind !== 'neutral')).toEqual([]);
    expect(JSON.stringify(rebasePosture(b))).not.toMatch(/golden-baseline-|goldenbaseline/);
  });

  test('a real difference from the baseline is still classified (baseline → customer with a wider consumer CIDR)', async () => {
    const changes = classify(rebasePosture(await postureOfPlan(customer)), rebasePosture(await postureOfPlan(renamedWider)));
    expect(changes.filter((c) => c.kind === 'broadening').map((c) => c.key)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^network\/kubernetes\/<boundary>-gateway\//),
    ]));
    expect(changes.filter((c) => c.kind === 'undetermined')).toEqual([]);
  });
});
