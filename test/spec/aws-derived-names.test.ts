import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { planBoundary } from '../../lib/plan';
import { Boundary, formatPath } from '../../lib/spec';
import { EXAMPLES_DIR, PUBLIC_INGRESS, TEST_NOW, baseManifest, check, errorsOf, toYaml, type RawManifest } from './spec-fixtures';

const codesAt = (manifest: RawManifest): string[] => errorsOf(check(toYaml(manifest)).problems).map((p) => `${p.code} ${formatPath(p.path)}`);

describe('public ingress: the WAF web ACL', () => {
  test('on AWS it may be left to the CloudFormation target, which creates <name>-gateway', () => {
    const m = baseManifest();
    Object.assign(m.spec.network, PUBLIC_INGRESS);
    delete m.spec.network.wafAclArn;
    expect(codesAt(m)).toEqual([]);
    const plan = planBoundary(Boundary.fromManifest(m as never, { now: TEST_NOW }));
    expect(plan.gateway.publicIngress?.waf).toEqual({ aclName: 'acme-prod-gateway' });
  });

  test('on a customer-run cluster (no spec.aws) its ARN is required: nothing would create it', () => {
    const m = parse(readFileSync(join(EXAMPLES_DIR, 'initech-onprem.yaml'), 'utf8')) as RawManifest;
    Object.assign(m.spec.network, PUBLIC_INGRESS);
    delete m.spec.network.wafAclArn;
    expect(codesAt(m)).toContain('PAB-NET-007 spec.network.wafAclArn');
  });
});

describe('derived S3 bucket names', () => {
  test('a boundary name that makes a derived bucket name longer than 63 characters is refused, naming the bucket', () => {
    const m = baseManifest();
    m.metadata.name = 'acme-production-frankfurt-main';
    m.spec.aws.region = 'ap-southeast-2';
    m.spec.network.tlsCertificateArn = m.spec.network.tlsCertificateArn.replace('eu-central-1', 'ap-southeast-2');
    const problems = errorsOf(check(toYaml(m)).problems);
    expect(problems.map((p) => `${p.code} ${formatPath(p.path)}`)).toEqual(['PAB-AUD-004 spec.audit.bucket']);
    expect(problems[0].message).toContain('"acme-production-frankfurt-main-audit-111122223333-ap-southeast-2"');
    expect(problems[0].message).toContain('S3 allows 63');
  });

  test('for every valid AWS spec, the audit and access-log bucket names are valid S3 names (the rule and lib/plan agree)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/).filter((n) => !n.includes('--'));
    const region = fc.constantFrom('eu-central-1', 'us-east-1', 'ap-southeast-2', 'me-central-1', 'us-gov-west-1');
    fc.assert(fc.property(name, region, (n, r) => {
      const m = baseManifest();
      m.metadata.name = n;
      m.spec.aws.region = r;
      m.spec.network.tlsCertificateArn = m.spec.network.tlsCertificateArn.replace('eu-central-1', r);
      const checked = check(toYaml(m));
      const valid = errorsOf(checked.problems).length === 0;
      const bucketErrors = errorsOf(checked.problems).filter((p) => p.code === 'PAB-AUD-004');
      const names = valid ? planBoundary(Boundary.fromManifest(m as never, { now: TEST_NOW })).names : undefined;
      const buckets = names ? [names.auditBucket(), names.accessLogsBucket()] : [];
      expect(buckets.filter((b) => !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b))).toEqual([]);
      // Refused exactly when a derived name would not fit.
      const suffix = `-${m.spec.aws.account}-${r}`;
      expect(bucketErrors.length > 0).toBe(`${n}-audit${suffix}`.length > 63);
    }), { numRuns: 60 });
  });
});
