import { diagramDot, networkDiagram, renderDiagramSvg } from '../../../lib/posture/evidence';
import { acmeProd, initechOnprem } from './fixtures';
import { addRule, edit, INTERNET, pods, tcp } from './posture-builder';

describe('networkDiagram', () => {
  test('a cluster per boundary namespace (first, with its default-deny), one for each outside namespace and AWS layer', () => {
    const d = networkDiagram(acmeProd());
    expect(d.clusters.map((c) => c.label)).toEqual([
      'acme-prod-data\ndefault-deny in and out', 'acme-prod-gateway\ndefault-deny in and out', 'acme-prod-models\ndefault-deny in and out',
      'acme-prod-team-research\ndefault-deny in and out', 'kube-system\n(outside the boundary)', 'research-notebooks\n(outside the boundary)',
      'AWS security groups', 'AWS services',
    ]);
    expect(d.clusters.slice(0, 4).every((c) => c.defaultDeny === true)).toBe(true);
    expect(d.clusters.map((c) => c.id)).toEqual(d.clusters.map((_, i) => `cluster_${i}`));
  });

  test('edges merge both sides of a flow and carry the union of ports', () => {
    const d = networkDiagram(acmeProd());
    const id = (label: string, cluster: string) => d.nodes.find((n) => n.label === label && d.clusters.find((c) => c.id === n.cluster)?.label.startsWith(cluster))!.id;
    const gw = id('gateway', 'acme-prod-gateway');
    const toPresidio = d.edges.filter((e) => e.from === gw && e.to === id('presidio-analyzer', 'acme-prod-gateway'));
    expect(toPresidio).toEqual([{ from: gw, to: expect.any(String), ports: ['TCP 3000'], public: false }]);
    const state = d.nodes.find((n) => n.kind === 'cidr' && n.label.startsWith('10.40.60.0/24'))!;
    expect(d.edges.find((e) => e.from === gw && e.to === state.id)?.ports).toEqual(['TCP 443', 'TCP 5432', 'TCP 6379']);
  });

  test('the internet node exists only when a public rule does, and its edges are public', () => {
    expect(networkDiagram(acmeProd()).nodes.some((n) => n.kind === 'internet')).toBe(false);
    const open = edit(acmeProd(), (p) => {
      addRule(p, 'acme-prod-gateway', 'allow-public', 'ingress', pods('acme-prod-gateway', 'gateway'), [INTERNET], [tcp(4000)], 'public ALB');
    });
    const d = networkDiagram(open);
    const internet = d.nodes.filter((n) => n.kind === 'internet');
    expect(internet).toHaveLength(1);
    expect(d.edges.filter((e) => e.public)).toEqual([expect.objectContaining({ from: internet[0].id, ports: ['TCP 4000'] })]);
  });

  test('AWS services reached the same way are one node listing them', () => {
    const p = edit(acmeProd(), (d) => {
      for (const service of ['com.amazonaws.eu-central-1.sts', 'com.amazonaws.eu-central-1.ecr.api']) {
        d.network.push({ key: `network/aws/vpc-endpoint/${service}/ingress`, evidence: [], layer: 'aws', mechanism: 'VpcEndpoint', direction: 'ingress',
          subject: { kind: 'aws-service', service }, peers: [{ kind: 'cidr', cidr: '10.40.0.0/16' }], ports: [{ protocol: 'all', from: 0, to: 65535 }], public: false });
      }
    });
    const d = networkDiagram(p);
    const services = d.nodes.filter((n) => n.kind === 'aws');
    expect(services.map((n) => n.label)).toEqual(['com.amazonaws.eu-central-1.ecr.api\ncom.amazonaws.eu-central-1.sts', 'com.amazonaws.eu-central-1.s3']);
    expect(d.edges.filter((e) => e.to === services[0].id)).toEqual([expect.objectContaining({ ports: ['all traffic'] })]);
  });

  test('a namespace missing its default-deny is drawn as such', () => {
    const p = edit(initechOnprem(), (d) => { d.network = d.network.filter((r) => !(r.mechanism === 'default-deny' && r.key.includes('team-finance') && r.direction === 'ingress')); });
    expect(networkDiagram(p).clusters.find((c) => c.label.startsWith('initech-onprem-team-finance'))).toEqual(expect.objectContaining({ label: 'initech-onprem-team-finance\nNO default-deny', defaultDeny: false }));
  });
});

describe('diagramDot and renderDiagramSvg', () => {
  test('DOT quotes every label: quotes, backslashes and line breaks cannot break out', () => {
    const dot = diagramDot({ clusters: [{ id: 'cluster_0', label: 'ns "x"\\y\nz' }], nodes: [{ id: 'n0', label: 'a"];evil', kind: 'pods', cluster: 'cluster_0' }], edges: [] }, 'T');
    expect(dot).toContain('label="ns \\"x\\"\\\\y\\nz"');
    expect(dot).toContain('n0 [label="a\\"];evil"');
  });

  test('same diagram, same DOT and same SVG; SVG carries one cluster per zone and no URL', async () => {
    const dot = diagramDot(networkDiagram(acmeProd()), 'acme-prod');
    expect(diagramDot(networkDiagram(acmeProd()), 'acme-prod')).toBe(dot);
    const svg = await renderDiagramSvg(dot);
    expect(await renderDiagramSvg(dot)).toBe(svg);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/https?:|<!--|<!DOCTYPE|<\?xml|<script/);
    expect(svg.match(/class="cluster"/g)).toHaveLength(8);
    expect(svg).toContain('>acme&#45;prod&#45;gateway</text>');
  });

  test('text from the posture is escaped in the SVG', async () => {
    const svg = await renderDiagramSvg(diagramDot({ clusters: [], nodes: [{ id: 'n0', label: '<script>alert(1)</script> & co', kind: 'cidr' }], edges: [] }, 't'));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });
});
