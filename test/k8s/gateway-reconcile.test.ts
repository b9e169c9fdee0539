/**
 * The gateway team-reconcile Job script (assets/gateway-reconcile.py), run with python3 against a fake
 * LiteLLM admin API served by this test on 127.0.0.1. The fake keeps teams in memory, requires the master
 * key as a Bearer token, records every call and rejects request bodies of the wrong shape.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { findPackageRoot, readAsset } from '../../lib/k8s/assets';

const SCRIPT = 'gateway-reconcile.py';
const MASTER_KEY = 'sk-master-Vq7rT2xW9kLm4N';
const BOUNDARY = 'acme-prod';
const MARKER = 'private-ai-boundary';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Team {
  team_id: string;
  team_alias: string | null;
  models: string[];
  rpm_limit: number | null;
  tpm_limit: number | null;
  metadata: JsonObject | null;
}

interface Call {
  method: string;
  path: string;
  body: Json | undefined;
  authorization: string | undefined;
}

interface DesiredTeam {
  team_id: string;
  team_alias: string;
  models: string[];
  rpm_limit?: number;
  tpm_limit?: number;
  metadata: JsonObject;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TEAM_FIELDS = ['team_id', 'team_alias', 'models', 'rpm_limit', 'tpm_limit', 'metadata'];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLimit(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
}

/** Field checks shared by /team/new (all fields required) and /team/update (team_id + any subset). */
function validateTeamBody(body: unknown, requireAll: boolean): JsonObject {
  if (!isObject(body)) throw new BadRequest(422, 'body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !TEAM_FIELDS.includes(k));
  if (unknown.length > 0) throw new BadRequest(422, `unexpected fields: ${unknown.join(', ')}`);
  const missing = (requireAll ? TEAM_FIELDS : ['team_id']).filter((k) => !(k in body));
  if (missing.length > 0) throw new BadRequest(422, `missing fields: ${missing.join(', ')}`);
  if (typeof body.team_id !== 'string' || body.team_id === '') throw new BadRequest(422, 'team_id: string');
  if ('team_alias' in body && typeof body.team_alias !== 'string') throw new BadRequest(422, 'team_alias: string');
  if ('models' in body && !(Array.isArray(body.models) && body.models.every((m) => typeof m === 'string'))) {
    throw new BadRequest(422, 'models: list of strings');
  }
  for (const field of ['rpm_limit', 'tpm_limit']) {
    if (field in body && !isLimit(body[field])) throw new BadRequest(422, `${field}: integer or null`);
  }
  if ('metadata' in body) {
    const metadata = body.metadata;
    if (!isObject(metadata)) throw new BadRequest(422, 'metadata: object');
    if (metadata.managed_by !== MARKER || typeof metadata.boundary !== 'string' || metadata.boundary === '') {
      throw new BadRequest(422, 'metadata must carry managed_by and boundary');
    }
  }
  return body;
}

/** In-memory stand-in for the LiteLLM proxy admin API (the endpoints the script uses). */
class FakeLiteLLM {
  readonly teams = new Map<string, Team>();
  readonly calls: Call[] = [];
  /** GET /health/readiness answers 503 this many times before 200. */
  notReadyPolls = 0;
  neverReady = false;
  /** Answer GET /team/list as {"teams": [...]} instead of a bare list. */
  listAsObject = false;
  /** With listAsObject: claim this many pages (only the first is returned). */
  listPages = 1;
  /** Transient failures to inject: the next `count` calls of `path` answer `status`. */
  readonly failures: { path: string; status: number; count: number }[] = [];
  private readonly server: http.Server;

  constructor(private readonly masterKey: string) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  seed(team: Team): void {
    this.teams.set(team.team_id, structuredClone(team));
  }

  adminCalls(): Call[] {
    return this.calls.filter((c) => c.path !== '/health/readiness');
  }

  mutations(): Call[] {
    return this.calls.filter((c) => c.method === 'POST');
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const route = (req.url ?? '').split('?')[0];
    let body: Json | undefined;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as Json);
    } catch {
      body = undefined;
    }
    const authorization = req.headers.authorization;
    this.calls.push({ method: req.method ?? '', path: route, body, authorization });
    const reply = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };

    if (req.method === 'GET' && route === '/health/readiness') {
      if (this.neverReady || this.notReadyPolls > 0) {
        this.notReadyPolls -= 1;
        reply(503, { status: 'unhealthy', db: 'Not connected' });
      } else {
        reply(200, { status: 'healthy', db: 'connected' });
      }
      return;
    }
    if (authorization !== `Bearer ${this.masterKey}`) {
      // Like the real proxy, echo (part of) the received key: the script must never print the body.
      const received = (authorization ?? '').replace(/^Bearer /, '');
      reply(401, {
        error: {
          message: `Authentication Error, Invalid proxy server token passed. Received API Key = ${received}, ...${received.slice(-4)}`,
          type: 'auth_error',
          code: '401',
        },
      });
      return;
    }
    const failure = this.failures.find((f) => f.path === route && f.count > 0);
    if (failure) {
      failure.count -= 1;
      reply(failure.status, { error: { message: 'injected transient failure' } });
      return;
    }
    try {
      reply(200, this.route(req.method ?? '', route, raw, body));
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      reply(err.status, { detail: err.message });
    }
  }

  private route(method: string, route: string, raw: string, body: Json | undefined): unknown {
    if (method === 'GET' && route === '/team/list') {
      const rows = [...this.teams.values()]
        .sort((a, b) => (a.team_alias ?? '').localeCompare(b.team_alias ?? ''))
        .map((t) => ({ ...structuredClone(t), spend: 0, max_budget: null, blocked: false, members_with_roles: [], keys: [], team_memberships: [] }));
      return this.listAsObject ? { teams: rows, total: rows.length * this.listPages, page: 1, page_size: rows.length, total_pages: this.listPages } : rows;
    }
    if (method !== 'POST') throw new BadRequest(404, `no route ${method} ${route}`);
    if (raw !== '' && body === undefined) throw new BadRequest(400, 'body is not JSON');
    if (route === '/team/new') {
      const team = validateTeamBody(body, true) as unknown as Team;
      if (this.teams.has(team.team_id)) throw new BadRequest(400, `Team id = ${team.team_id} already exists.`);
      this.teams.set(team.team_id, structuredClone(team));
      return { ...team, spend: 0 };
    }
    if (route === '/team/update') {
      const update = validateTeamBody(body, false);
      const team = this.teams.get(update.team_id as string);
      if (!team) throw new BadRequest(404, `Team not found, passed team_id=${String(update.team_id)}`);
      Object.assign(team, structuredClone(update));
      return { team_id: team.team_id, data: team };
    }
    if (route === '/team/delete') {
      if (!isObject(body) || Object.keys(body).join() !== 'team_ids') throw new BadRequest(422, 'expected {"team_ids": [...]}');
      const ids = body.team_ids;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
        throw new BadRequest(422, 'team_ids: non-empty list of strings');
      }
      for (const id of ids as string[]) {
        if (!this.teams.has(id)) throw new BadRequest(404, `Team not found, passed team_id=${id}`);
      }
      for (const id of ids as string[]) this.teams.delete(id);
      return { deleted: ids.length };
    }
    throw new BadRequest(404, `no route ${method} ${route}`);
  }
}

let tmp: string;
let scriptPath: string;
let gateway: FakeLiteLLM;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pab-reconcile-'));
  // The Job mounts the script from a ConfigMap: run a copy of the asset, not the source tree file.
  scriptPath = path.join(tmp, SCRIPT);
  fs.writeFileSync(scriptPath, readAsset(SCRIPT), { mode: 0o755 });
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  gateway = new FakeLiteLLM(MASTER_KEY);
  await gateway.start();
});

afterEach(async () => {
  await gateway.stop();
});

let desiredCounter = 0;
function writeDesired(teams: DesiredTeam[], boundary = BOUNDARY): string {
  desiredCounter += 1;
  const file = path.join(tmp, `desired-${desiredCounter}.json`);
  fs.writeFileSync(file, JSON.stringify({ boundary, managedBy: MARKER, teams }, null, 2));
  return file;
}

function runScript(desiredPath: string, env: Record<string, string> = {}, killAfterMs = 20000): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [scriptPath], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PYTHONDONTWRITEBYTECODE: '1',
        LITELLM_URL: gateway.url,
        LITELLM_MASTER_KEY: MASTER_KEY,
        DESIRED_STATE_PATH: desiredPath,
        PAB_READY_TIMEOUT_SECONDS: '10',
        PAB_HTTP_TIMEOUT_SECONDS: '3',
        PAB_HTTP_ATTEMPTS: '4',
        PAB_BACKOFF_BASE_SECONDS: '0.05',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function summaryOf(result: RunResult): Record<string, unknown> {
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

const research: DesiredTeam = {
  team_id: 'research',
  team_alias: 'research',
  models: ['llama-3-1-8b'],
  rpm_limit: 120,
  tpm_limit: 200000,
  metadata: { groups: ['acme-research'] },
};
const support: DesiredTeam = {
  team_id: 'support',
  team_alias: 'support',
  models: ['llama-3-1-8b', 'mistral-7b'],
  metadata: { groups: ['acme-support'] },
};

describe('readAsset', () => {
  test('reads the reconcile script from the package assets', () => {
    const script = readAsset(SCRIPT);
    expect(script.startsWith('#!/usr/bin/env python3')).toBe(true);
    expect(script).toContain('/team/list');
    expect(script).toBe(fs.readFileSync(path.resolve(__dirname, '../../assets', SCRIPT), 'utf8'));
  });

  test('finds the package root from the compiled layout and fails clearly elsewhere', () => {
    const root = path.resolve(__dirname, '../..');
    expect(findPackageRoot()).toBe(root);
    expect(findPackageRoot(path.join(root, 'build', 'lib', 'k8s'))).toBe(root);
    const foreign = fs.mkdtempSync(path.join(tmp, 'foreign-'));
    fs.writeFileSync(path.join(foreign, 'package.json'), JSON.stringify({ name: 'someone-else' }));
    expect(() => findPackageRoot(foreign)).toThrow(/no package\.json named "private-ai-boundary"/);
  });

  test('rejects missing assets and paths that leave assets/', () => {
    expect(() => readAsset('no-such-file.py')).toThrow(/asset "no-such-file.py" not found/);
    expect(() => readAsset('../package.json')).toThrow(/invalid asset name/);
    expect(() => readAsset('/etc/passwd')).toThrow(/invalid asset name/);
  });
});

describe('gateway-reconcile.py against a fake LiteLLM admin API', () => {
  test('first run creates the desired teams with models, limits and the managed-by marker', async () => {
    const result = await runScript(writeDesired([research, support]), { LITELLM_URL: `${gateway.url}/` });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(summaryOf(result)).toEqual({ boundary: BOUNDARY, created: ['research', 'support'], updated: [], deleted: [], unchanged: [] });
    expect(gateway.teams.get('research')).toEqual({
      team_id: 'research',
      team_alias: 'research',
      models: ['llama-3-1-8b'],
      rpm_limit: 120,
      tpm_limit: 200000,
      metadata: { groups: ['acme-research'], managed_by: MARKER, boundary: BOUNDARY },
    });
    expect(gateway.teams.get('support')).toMatchObject({ rpm_limit: null, tpm_limit: null, models: ['llama-3-1-8b', 'mistral-7b'] });
    expect(gateway.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /health/readiness',
      'GET /team/list',
      'POST /team/new',
      'POST /team/new',
    ]);
    expect(gateway.calls[0].authorization).toBeUndefined();
    expect(gateway.adminCalls().every((c) => c.authorization === `Bearer ${MASTER_KEY}`)).toBe(true);
  });

  test('a second run against the same state changes nothing', async () => {
    const desired = writeDesired([research, support]);
    expect((await runScript(desired)).code).toBe(0);
    const before = structuredClone([...gateway.teams.entries()]);
    gateway.calls.length = 0;

    const second = await runScript(desired);

    expect(second.code).toBe(0);
    expect(summaryOf(second)).toEqual({ boundary: BOUNDARY, created: [], updated: [], deleted: [], unchanged: ['research', 'support'] });
    expect(gateway.mutations()).toEqual([]);
    expect([...gateway.teams.entries()]).toEqual(before);
  });

  test('changed models and limits give exactly one update, and a removed limit is cleared', async () => {
    expect((await runScript(writeDesired([research, support]))).code).toBe(0);
    gateway.calls.length = 0;
    const changed: DesiredTeam = { ...research, models: ['llama-3-1-8b', 'mistral-7b'], rpm_limit: 60 };
    delete changed.tpm_limit;

    const result = await runScript(writeDesired([changed, support]));

    expect(result.code).toBe(0);
    expect(summaryOf(result)).toEqual({ boundary: BOUNDARY, created: [], updated: ['research'], deleted: [], unchanged: ['support'] });
    expect(gateway.mutations()).toHaveLength(1);
    expect(gateway.mutations()[0]).toMatchObject({
      path: '/team/update',
      body: {
        team_id: 'research',
        models: ['llama-3-1-8b', 'mistral-7b'],
        rpm_limit: 60,
        tpm_limit: null,
        metadata: { groups: ['acme-research'], managed_by: MARKER, boundary: BOUNDARY },
      },
    });
    expect(gateway.teams.get('research')).toMatchObject({ models: ['llama-3-1-8b', 'mistral-7b'], rpm_limit: 60, tpm_limit: null });

    gateway.calls.length = 0;
    const again = await runScript(writeDesired([changed, support]));
    expect(summaryOf(again)).toMatchObject({ updated: [], unchanged: ['research', 'support'] });
    expect(gateway.mutations()).toEqual([]);
  });

  test('prunes only teams of this boundary: hand-made and other-boundary teams are left alone', async () => {
    const handMade: Team = { team_id: 'hand-made', team_alias: 'hand-made', models: [], rpm_limit: null, tpm_limit: null, metadata: null };
    const handMadeWithMetadata: Team = { ...handMade, team_id: 'ops', team_alias: 'ops', metadata: { owner: 'ops' } };
    const otherBoundary: Team = {
      team_id: 'globex-research',
      team_alias: 'globex-research',
      models: ['llama-3-1-8b'],
      rpm_limit: 10,
      tpm_limit: 1000,
      metadata: { managed_by: MARKER, boundary: 'globex-prod', groups: [] },
    };
    const stale: Team = { ...otherBoundary, team_id: 'old-team', team_alias: 'old-team', metadata: { managed_by: MARKER, boundary: BOUNDARY } };
    for (const team of [handMade, handMadeWithMetadata, otherBoundary, stale]) gateway.seed(team);

    const result = await runScript(writeDesired([research]));

    expect(result.code).toBe(0);
    expect(summaryOf(result)).toEqual({ boundary: BOUNDARY, created: ['research'], updated: [], deleted: ['old-team'], unchanged: [] });
    const deletes = gateway.mutations().filter((c) => c.path === '/team/delete');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].body).toEqual({ team_ids: ['old-team'] });
    expect(gateway.mutations().filter((c) => c.path === '/team/update')).toEqual([]);
    expect(gateway.teams.has('old-team')).toBe(false);
    expect(gateway.teams.get('hand-made')).toEqual(handMade);
    expect(gateway.teams.get('ops')).toEqual(handMadeWithMetadata);
    expect(gateway.teams.get('globex-research')).toEqual(otherBoundary);
  });

  test('a desired team id taken by an unmanaged team is reported and not touched', async () => {
    const handMade: Team = { team_id: 'research', team_alias: 'research', models: ['gpt-x'], rpm_limit: null, tpm_limit: null, metadata: { owner: 'someone' } };
    gateway.seed(handMade);

    const result = await runScript(writeDesired([research, support]));

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/research \(exists with no private-ai-boundary marker\)/);
    expect(result.stderr).not.toContain('Traceback');
    expect(summaryOf(result)).toMatchObject({ created: ['support'], updated: [], unchanged: [] });
    expect(gateway.teams.get('research')).toEqual(handMade);
  });

  test('a wrong master key fails at once, names the endpoint and status, and never prints a key', async () => {
    const wrongKey = 'sk-wrong-Zq8X3vT1pLcY6';
    const result = await runScript(writeDesired([research]), { LITELLM_MASTER_KEY: wrongKey });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /team/list');
    expect(result.stderr).toContain('HTTP 401');
    expect(result.stderr).toContain('check the gateway master key secret');
    expect(result.stderr).not.toContain('Traceback');
    for (const secret of [wrongKey, wrongKey.slice(3), wrongKey.slice(-4), MASTER_KEY, MASTER_KEY.slice(-4)]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
    expect(gateway.adminCalls().map((c) => c.path)).toEqual(['/team/list']);
    expect(gateway.mutations()).toEqual([]);
  });

  test('waits while readiness answers 503, then reconciles', async () => {
    gateway.notReadyPolls = 3;

    const result = await runScript(writeDesired([research]));

    expect(result.code).toBe(0);
    expect(summaryOf(result)).toMatchObject({ created: ['research'] });
    expect(gateway.calls.filter((c) => c.path === '/health/readiness')).toHaveLength(4);
    expect(result.stderr).toContain('gateway not ready (HTTP 503)');
  });

  test('gives up within the readiness timeout with a clear message', async () => {
    gateway.neverReady = true;

    const result = await runScript(writeDesired([research]), { PAB_READY_TIMEOUT_SECONDS: '1.5', PAB_BACKOFF_BASE_SECONDS: '0.2' });

    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(6000);
    expect(result.stderr).toMatch(/gateway not ready: GET http:\/\/127\.0\.0\.1:\d+\/health\/readiness did not return 200 within 1\.5s \(last result: HTTP 503\)/);
    expect(result.stderr).not.toContain('Traceback');
    expect(result.stdout).toBe('');
    expect(gateway.adminCalls()).toEqual([]);
  });

  test('retries transient 5xx and 429 answers with backoff', async () => {
    gateway.failures.push({ path: '/team/list', status: 500, count: 2 }, { path: '/team/new', status: 429, count: 1 });

    const result = await runScript(writeDesired([research]));

    expect(result.code).toBe(0);
    expect(summaryOf(result)).toMatchObject({ created: ['research'] });
    expect(gateway.calls.filter((c) => c.path === '/team/list')).toHaveLength(3);
    expect(gateway.calls.filter((c) => c.path === '/team/new')).toHaveLength(2);
    expect(gateway.teams.get('research')).toMatchObject({ rpm_limit: 120 });
  });

  test('fails after a bounded number of attempts when the gateway keeps failing', async () => {
    gateway.failures.push({ path: '/team/list', status: 502, count: 100 });

    const result = await runScript(writeDesired([research]), { PAB_HTTP_ATTEMPTS: '3' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /team/list failed after 3 attempts: HTTP 502');
    expect(gateway.calls.filter((c) => c.path === '/team/list')).toHaveLength(3);
    expect(gateway.mutations()).toEqual([]);
  });

  test('accepts a team list wrapped in an object with a "teams" list', async () => {
    gateway.listAsObject = true;
    const desired = writeDesired([research]);
    expect((await runScript(desired)).code).toBe(0);
    gateway.calls.length = 0;

    const second = await runScript(desired);

    expect(second.code).toBe(0);
    expect(summaryOf(second)).toMatchObject({ created: [], unchanged: ['research'] });
    expect(gateway.mutations()).toEqual([]);
  });

  test('refuses to reconcile against one page of a paginated team list', async () => {
    gateway.listAsObject = true;
    gateway.listPages = 2;
    gateway.seed({ team_id: 'old-team', team_alias: 'old-team', models: [], rpm_limit: null, tpm_limit: null, metadata: { managed_by: MARKER, boundary: BOUNDARY } });

    const result = await runScript(writeDesired([research]));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /team/list returned one page of a paginated list');
    expect(gateway.mutations()).toEqual([]);
  });

  test('an invalid desired state fails before any call to the gateway', async () => {
    const file = path.join(tmp, 'invalid-desired.json');
    fs.writeFileSync(file, JSON.stringify({ boundary: BOUNDARY, teams: [{ ...research, model_rpm_limit: { x: 1 } }] }));

    const result = await runScript(file);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unsupported fields model_rpm_limit');
    expect(result.stderr).not.toContain('Traceback');
    expect(gateway.calls).toEqual([]);
  });
});
