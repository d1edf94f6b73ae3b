// TLS material (issue 2 item 2: "HTTPS uses a CA + server certificate generated on first start under
// <data>/tls/ (the CA PEM usable as --ca-bundle)"). Verified by real clients: Node's https, Python's
// ssl (what botocore/the aws CLI use), and `openssl verify -x509_strict` (RFC 5280 profile checks).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat, unlink } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ManualClock } from '../../src/clock.js';
import { ensureTlsMaterial, type TlsMaterial } from '../../src/http/tls.js';

const run = promisify(execFile);
const dayMs = 24 * 3600 * 1000;

async function available(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args);
    return true;
  } catch {
    return false;
  }
}

function get(port: number, options: { host?: string; servername?: string; ca?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: options.host ?? '127.0.0.1', port, path: '/', servername: options.servername, ca: options.ca, agent: false },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(body));
      },
    );
    request.on('error', reject);
  });
}

describe('ensureTlsMaterial', () => {
  let dir = '';
  let material: TlsMaterial;
  let server: https.Server;
  let port = 0;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cb-tls-'));
    material = await ensureTlsMaterial(dir);
    server = https.createServer({ cert: material.certPem, key: material.keyPem, SNICallback: material.sniCallback }, (_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('writes <data>/tls/{ca.pem,ca.key,server.pem,server.key}; keys 0600, directory 0700', async () => {
    assert.equal(material.caPath, path.join(dir, 'tls', 'ca.pem'));
    assert.equal((await stat(path.join(dir, 'tls'))).mode & 0o777, 0o700);
    assert.equal((await stat(path.join(dir, 'tls', 'ca.key'))).mode & 0o777, 0o600);
    assert.equal((await stat(path.join(dir, 'tls', 'server.key'))).mode & 0o777, 0o600);
    assert.equal((await stat(path.join(dir, 'tls', 'ca.pem'))).mode & 0o777, 0o644);
  });

  it('issues a CA and a server certificate with the SANs localhost, *.localhost, 127.0.0.1, ::1, valid ~2 years', () => {
    const ca = new X509Certificate(material.caPem);
    const leaf = new X509Certificate(material.certPem);
    assert.equal(ca.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.verify(ca.publicKey), 'signed by the CA');
    assert.equal(leaf.subjectAltName, 'DNS:localhost, DNS:*.localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    const days = (Date.parse(leaf.validTo) - Date.now()) / dayMs;
    assert.ok(days > 700 && days <= 825, `server certificate valid ${days} days`);
  });

  it('reuses the material on the next start', async () => {
    const again = await ensureTlsMaterial(dir);
    assert.equal(again.caPem, material.caPem);
    assert.equal(again.certPem, material.certPem);
    assert.equal(again.keyPem, material.keyPem);
  });

  it('Node https verifies localhost and 127.0.0.1 with the CA PEM as the only trust anchor', async () => {
    assert.equal(await get(port, { host: 'localhost', ca: material.caPem }), 'hello');
    assert.equal(await get(port, { ca: material.caPem }), 'hello');
    await assert.rejects(get(port, { host: 'localhost' }), /self[- ]signed|unable to (get|verify)/i, 'without the CA the chain is untrusted');
  });

  it('Node https verifies a virtual-hosted name (demo.localhost) through SNI, and other buckets too', async () => {
    assert.equal(await get(port, { servername: 'demo.localhost', ca: material.caPem }), 'hello');
    assert.equal(await get(port, { servername: 'my.dotted.bucket.localhost', ca: material.caPem }), 'hello');
    await assert.rejects(get(port, { servername: 'example.com', ca: material.caPem }), /altnames/);
  });

  it('Python ssl (urllib and a raw SNI handshake) verifies with the CA PEM as cafile', async (t) => {
    if (!(await available('python3', ['--version']))) return t.skip('python3 not installed');
    const script = [
      'import ssl, socket, sys, urllib.request',
      'port = int(sys.argv[1]); ctx = ssl.create_default_context(cafile=sys.argv[2])',
      'print(urllib.request.urlopen(f"https://localhost:{port}/", context=ctx).read().decode())',
      'for name in ("demo.localhost", "127.0.0.1"):',
      '    with socket.create_connection(("127.0.0.1", port)) as raw:',
      '        with ctx.wrap_socket(raw, server_hostname=name) as tls:',
      '            print("verified", name)',
      'try:',
      '    urllib.request.urlopen(f"https://localhost:{port}/", context=ssl.create_default_context())',
      'except Exception as error:',
      '    print("rejected without CA")',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, String(port), material.caPath]);
    assert.deepEqual(stdout.trim().split('\n'), ['hello', 'verified demo.localhost', 'verified 127.0.0.1', 'rejected without CA']);
  });

  it('passes `openssl verify -x509_strict`', async (t) => {
    if (!(await available('openssl', ['version']))) return t.skip('openssl not installed');
    const { stdout } = await run('openssl', ['verify', '-x509_strict', '-CAfile', material.caPath, path.join(dir, 'tls', 'server.pem')]);
    assert.match(stdout, /: OK/);
  });
});

describe('ensureTlsMaterial renewal', () => {
  it('regenerates the server certificate when it is missing or near expiry, keeping the CA', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cb-tls-renew-'));
    try {
      const first = await ensureTlsMaterial(dir);
      await unlink(path.join(dir, 'tls', 'server.pem'));
      const second = await ensureTlsMaterial(dir);
      assert.equal(second.caPem, first.caPem);
      assert.notEqual(second.certPem, first.certPem);
      assert.ok(new X509Certificate(second.certPem).verify(new X509Certificate(first.caPem).publicKey));

      const later = new ManualClock(Date.now() + 790 * dayMs); // within 30 days of the 800-day expiry
      const third = await ensureTlsMaterial(dir, { clock: later });
      assert.equal(third.caPem, first.caPem);
      assert.notEqual(third.certPem, second.certPem);
      assert.ok(Date.parse(new X509Certificate(third.certPem).validTo) > later.nowMs() + 700 * dayMs);

      // The CA (10 years) is renewed once it would no longer outlive a new server certificate.
      const late = new ManualClock(Date.now() + (3650 - 820) * dayMs);
      const fourth = await ensureTlsMaterial(dir, { clock: late });
      assert.notEqual(fourth.caPem, first.caPem, 'an expiring CA is replaced');
      assert.ok(Date.parse(new X509Certificate(fourth.caPem).validTo) > Date.parse(new X509Certificate(fourth.certPem).validTo));
      assert.ok(new X509Certificate(fourth.certPem).verify(new X509Certificate(fourth.caPem).publicKey));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
