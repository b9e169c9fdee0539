/**
 * `npm run bench`: measures `pab synth` over many customer specs (the pipeline use case: hundreds of spec files,
 * one command) and checks that cost per spec stays flat as the count grows (linear total cost).
 * Usage: node build/test/bench/synth-bench.js [--target <targets>] [counts...]   (default kubernetes; 25 50 100 200)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';

const BASE = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'customers', 'acme-prod.yaml'), 'utf8');
const quiet = { out: () => undefined, err: (t: string) => process.stderr.write(t), now: () => new Date() };

const targetAt = process.argv.indexOf('--target');
const target = targetAt > 0 ? process.argv[targetAt + 1] : 'kubernetes';

async function run(count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'pab-bench-'));
  try {
    const specs = join(dir, 'specs');
    mkdirSync(specs);
    for (let i = 0; i < count; i++) {
      const name = `cust-${String(i).padStart(4, '0')}`;
      writeFileSync(join(specs, `${name}.yaml`), BASE.replace('name: acme-prod', `name: ${name}`));
    }
    const t0 = process.hrtime.bigint();
    const code = await main(['synth', specs, '--target', target, '--out', join(dir, 'dist')], quiet);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (code !== 0) throw new Error(`pab synth exited ${code}`);
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(): Promise<void> {
  const counts = process.argv.slice(2).filter((_a, i, all) => all[i - 1] !== '--target').map(Number).filter((n) => n > 0);
  const sizes = counts.length > 0 ? counts : [25, 50, 100, 200];
  await run(5); // warm up module loading and JIT
  const rows: { count: number; ms: number; perSpec: number }[] = [];
  for (const count of sizes) {
    const ms = await run(count);
    rows.push({ count, ms, perSpec: ms / count });
    console.log(`${String(count).padStart(5)} specs  ${(ms / 1000).toFixed(2).padStart(7)} s  ${(ms / count).toFixed(1).padStart(7)} ms/spec  rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB  (--target ${target})`);
  }
  const growth = rows[rows.length - 1].perSpec / rows[0].perSpec;
  console.log(`per-spec cost ratio ${rows[rows.length - 1].count}/${rows[0].count} specs: ${growth.toFixed(2)} (linear ≈ 1; goal < 1.5)`);
  if (growth >= 1.5) {
    console.error('FAIL: synthesis cost grows faster than linearly');
    process.exitCode = 1;
  }
}

bench().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
