/**
 * Live-check faults beyond test/live/faults.test.ts: bodies that are not JSON (an HTML page from a proxy), an API
 * server (or proxy) that echoes the request's credentials, a malformed kubeconfig, TLS with an unknown CA (no
 * insecure retry), disruptive checks under a failing API server (they still clean up), and no kubeconfig secret in
 * any report format, progress event, error or CLI output.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as YAML from 'yaml';
import { main } from '../../server/cli/main';
import { loadSpec } from '../../server/engine/spec/load';
import { redact, redactText } from '../../server/live/redact';
import { formatReport, REPORT_FORMATS } from '../../server/live/report';
import { runChecks } from '../../server/live/run';
import type { ProgressEvent, VerifyReport } from '../../server/live/types';
import { FAST, one, result, TEST_SPEC, verify, withCluster } from '../live/helpers';
import type { FakeCluster } from '../live/kube-server';
import { testCerts } from '../live/kube-server/certs';

const SECRET = `opex-secret-${process.pid}-c2VjcmV0LXRva2Vu`;

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'opex-live-faults-'));
}

/** A kubeconfig for an HTTPS server on the loopback signed by the test CA, with a token. */
function httpKubeconfig(url: string, token = SECRET): string {
  const file = path.join(tmp(), 'kubeconfig.yaml');
  fs.writeFileSync(
    file,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'proxy', cluster: { server: url, 'certificate-authority-data': Buffer.from(testCerts().ca).toString('base64') } }],
      users: [{ name: 'u', user: { token } }],
      contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'u', namespace: 'production' } }],
      'current-context': 'proxy',
    }),
    { mode: 0o600 },
  );
  return file;
}

/** A server answering every request with `respond`, for as long as `fn` runs. */
async function withServer<T>(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void, fn: (url: string) => Promise<T>): Promise<T> {
  const certs = testCerts();
  const server = https.createServer({ key: certs.key, cert: certs.cert }, respond);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

async function runAgainst(kubeconfig: string, only: Array<'SC-001' | 'SC-004'> = ['SC-001', 'SC-004'], events?: ProgressEvent[]): Promise<VerifyReport> {
  return runChecks({ spec: loadSpec('/opex-test/opex.yaml', TEST_SPEC), specText: TEST_SPEC, kubeconfig, only, settings: FAST }, { onProgress: (e) => events?.push(e) });
}

/** Every text a report can become, and its progress events. */
function everyRendering(report: VerifyReport, events: ProgressEvent[] = []): string {
  return [JSON.stringify(report), JSON.stringify(events), ...REPORT_FORMATS.map((f) => formatReport(report, f, { verbose: true }))].join('\n');
}

describe('answers that are not what a Kubernetes API server sends', () => {
  it('an HTML page with 200 (a captive portal, a proxy\'s login page): ERROR saying the answer is no Kubernetes answer, not an internal error', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body><h1>Please sign in to the corporate proxy</h1></body></html>');
      },
      async (url) => {
        const report = await runAgainst(httpKubeconfig(url));
        for (const r of report.results) {
          assert.equal(r.status, 'ERROR', `${r.id}: ${r.reason}`);
          assert.match(r.reason!, /^the API server's answer (was not valid JSON while trying to|was not a Kubernetes object while trying to|to) (list|discover) .*(has no items)?/, r.reason);
        }
      },
    );
  });

  it('an HTML 502 from a proxy: ERROR with the status and the request, and the page cut short', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(`<html><body>${'Bad gateway. '.repeat(100)}</body></html>`);
      },
      async (url) => {
        const report = await runAgainst(httpKubeconfig(url));
        const r = result(report, 'SC-001');
        assert.equal(r.status, 'ERROR');
        assert.match(r.reason!, /^502 from the API server while trying to list /);
        assert.ok(r.reason!.length < 500, `a short reason (${r.reason!.length} characters)`);
      },
    );
  });

  it('a proxy that echoes the request (Authorization header included) into its error: the token never reaches the report', async () => {
    await withServer(
      (req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `upstream failed for ${req.method} ${req.url} with headers ${JSON.stringify(req.headers)}`, code: 500 }));
      },
      async (url) => {
        const events: ProgressEvent[] = [];
        const report = await runAgainst(httpKubeconfig(url), ['SC-001', 'SC-004'], events);
        assert.equal(result(report, 'SC-001').status, 'ERROR');
        assert.match(result(report, 'SC-001').reason!, /500 from the API server/);
        assert.doesNotMatch(everyRendering(report, events), new RegExp(SECRET));
        assert.match(result(report, 'SC-001').reason!, /\[redacted\]/);
      },
    );
  });
});

describe('credentials and trust', () => {
  it('a malformed kubeconfig: a configuration error that quotes none of its content', async () => {
    const file = path.join(tmp(), 'broken.yaml');
    fs.writeFileSync(file, `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${SECRET}\n   bad: indentation\n`);
    await assert.rejects(runAgainst(file), (e: Error) => {
      assert.match(e.message, /^cannot read the kubeconfig /);
      assert.doesNotMatch(e.message, new RegExp(SECRET));
      return true;
    });
  });

  it('an unknown CA: ERROR naming TLS and what to check; nothing was sent without verification', async () => {
    await withCluster({}, async (c) => {
      const text = fs.readFileSync(c.kubeconfigPath, 'utf8').replace(/certificate-authority-data: .*/, 'certificate-authority-data: ""');
      const file = c.kubeconfigPath.replace(/\.yaml$/, '-no-ca.yaml');
      fs.writeFileSync(file, text);
      const before = c.requests.length;
      const report = await verify(c, { kubeconfig: file, only: ['SC-001', 'SC-004'] });
      for (const r of report.results) {
        assert.equal(r.status, 'ERROR');
        assert.match(r.reason!, /TLS error talking to the API server .*check the kubeconfig's certificate-authority|cluster unreachable \(see SC-001\): TLS error/);
      }
      assert.equal(c.requests.length, before, 'no request reached the server: no silent retry without verification');
    });
  });

  it('no secret of the kubeconfig in any report format, progress event or CLI output, whatever fails', async () => {
    await withCluster({ faults: [{ resource: 'pods', action: 'status', status: 500 }, { resource: 'schedules', action: 'truncate' }] }, async (c: FakeCluster) => {
      const leaky = c.writeKubeconfig({ token: SECRET, context: 'leaky' }); // an unknown token: 401 everywhere
      const valid = c.kubeconfigPath; // its own token: the faults above
      const dir = tmp();
      fs.writeFileSync(path.join(dir, 'opex.yaml'), TEST_SPEC);
      let everything = '';
      for (const kubeconfig of [leaky, valid]) {
        const events: ProgressEvent[] = [];
        const report = await verify(c, { kubeconfig, onProgress: (e) => events.push(e) });
        everything += everyRendering(report, events);
        for (const format of ['text', 'json', 'junit', 'markdown']) {
          const out: string[] = [];
          const saved = process.env.OPEX_DEBUG;
          process.env.OPEX_DEBUG = '1';
          try {
            await main(['verify', '--kubeconfig', kubeconfig, '--format', format, '--allow-disruptive'], { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => out.push(t), color: false, interactive: true });
          } finally {
            if (saved === undefined) delete process.env.OPEX_DEBUG;
            else process.env.OPEX_DEBUG = saved;
          }
          everything += out.join('');
        }
      }
      const token = fs.readFileSync(valid, 'utf8').match(/token: (\S+)/)![1];
      assert.ok(everything.length > 10_000);
      assert.doesNotMatch(everything, new RegExp(SECRET), 'the unknown token');
      assert.ok(!everything.includes(token), 'the valid token');
      assert.match(everything, /401 Unauthorized: the cluster rejected the credentials/);
    });
  });
});

describe('disruptive checks under a failing API server', () => {
  const T = (c: FakeCluster, kind: string, group = '') => c.registry.anyByKind(kind, group)!;

  it('SC-007: the restore\'s status cannot be read (500s): ERROR, and the Restore and the scratch namespace are still deleted', async () => {
    await withCluster({ timings: { restore: { newMs: 20, runMs: 5000 } }, faults: [{ resource: 'restores', verb: 'get', action: 'status', status: 500 }, { resource: 'restores', verb: 'watch', action: 'status', status: 500 }] }, async (c) => {
      const r = await one(c, 'SC-007', { allowDisruptive: true, settings: { timeouts: { restoreMs: 1500 } } });
      assert.ok(r.status === 'ERROR' || r.status === 'FAIL', `${r.status}: ${r.reason}`);
      const deletes = c.mutatingRequests().filter((x) => x.verb === 'delete').map((x) => x.resource).sort();
      assert.deepEqual(deletes, ['namespaces', 'restores']);
      assert.equal(c.store.list(T(c, 'Restore', 'velero.io'), 'velero').length, 0);
    });
  });

  it('SC-008: the watch on the pods is cut (connections dropped): ERROR, and a PodChaos it applied is still deleted', async () => {
    const manifest = YAML.parse(fs.readFileSync(path.resolve(__dirname, '../../examples/task-api/task-api-podchaos.yaml'), 'utf8'));
    await withCluster({ timings: { podOverrides: { 'staging/task-api': { pullMs: 3000 } } }, faults: [{ resource: 'pods', verb: 'watch', action: 'drop' }, { resource: 'pods', verb: 'list', namespace: 'staging', action: 'drop', times: 50 }] }, async (c) => {
      const r = await one(c, 'SC-008', { allowDisruptive: true, podChaos: manifest, settings: { podKill: { method: 'podchaos' }, timeouts: { podKillMs: 1500 } } });
      assert.ok(r.status === 'ERROR' || r.status === 'FAIL', `${r.status}: ${r.reason}`);
      const writes = c.mutatingRequests().map((x) => `${x.verb} ${x.resource}`);
      if (writes.includes('create podchaos')) assert.ok(writes.includes('delete podchaos'), writes.join(', '));
      assert.deepEqual(c.store.list(T(c, 'PodChaos', 'chaos-mesh.org'), 'chaos-mesh').map((p) => p.metadata.name), ['task-api-pod-kill'], 'only the workspace\'s own experiment is left');
    });
  });
});

describe('redaction', () => {
  it('replaces the kubeconfig\'s secrets and any bearer or basic credentials in every string of a value', () => {
    const secrets = ['s3cr3t-password', 'tok-1234567890'];
    const value = {
      reason: 'failed with Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.abc.def and "authorization":"Basic dXNlcjpwYXNz"',
      details: ['token tok-1234567890 rejected', 'password s3cr3t-password'],
      n: 3,
      nested: { list: [{ x: 'Bearer abcdefghijk' }] },
    };
    const out = redact(value, secrets);
    assert.equal(out.reason, 'failed with Authorization: Bearer [redacted] and "authorization":"Basic [redacted]"');
    assert.deepEqual(out.details, ['token [redacted] rejected', 'password [redacted]']);
    assert.equal(out.n, 3);
    assert.equal(out.nested.list[0].x, 'Bearer [redacted]');
    assert.equal(redactText('a short Bearer x is left', []), 'a short Bearer x is left');
  });
});
