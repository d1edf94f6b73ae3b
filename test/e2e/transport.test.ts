import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import path from 'node:path';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startServer, parseIni, type Server } from './harness.js';
import { bucketName, streamToBuffer, quotedMd5 } from './expect.js';
import { send, signHeaders } from './raw.js';

const MiB = 1024 * 1024;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

describe('transport, generated files and durability', () => {
  let server: Server;
  let s3: S3Client;
  const bucket = bucketName('transport');

  before(async () => {
    server = await startServer();
    s3 = server.s3('owner');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    await server?.close();
  });

  describe('server.json, banner, credentials and config (issue 2 §2–3)', () => {
    it('server.json describes both listeners on 127.0.0.1, the CA path and the region', async () => {
      const info = server.info;
      assert.equal(info.pid, server.pid);
      assert.equal(info.host, '127.0.0.1');
      assert.ok(info.httpPort > 0 && info.httpsPort > 0 && info.httpPort !== info.httpsPort);
      assert.equal(info.httpEndpoint, `http://127.0.0.1:${info.httpPort}`);
      assert.equal(info.httpsEndpoint, `https://localhost:${info.httpsPort}`);
      assert.equal(info.caPath, path.join(server.dataDir, 'tls', 'ca.pem'));
      assert.equal(info.region, 'us-east-1');
    });

    it('the banner has paste-ready export lines and the profiles, and no secrets', () => {
      const banner = server.stdout;
      assert.ok(banner.includes(`AWS_SHARED_CREDENTIALS_FILE=${server.credentialsFile}`), banner);
      assert.ok(banner.includes(`AWS_CONFIG_FILE=${server.configFile}`), banner);
      assert.ok(banner.includes(`AWS_ENDPOINT_URL=`), banner);
      assert.match(banner, /export /);
      for (const profile of ['admin', 'owner', 'partner']) {
        assert.ok(banner.includes(profile), `banner names profile ${profile}`);
        assert.ok(!banner.includes(server.credentials(profile).secretAccessKey), 'no secret key in the banner');
      }
      for (const profile of ['admin', 'owner', 'partner']) assert.ok(!server.stderr.includes(server.credentials(profile).secretAccessKey), 'no secret key on stderr');
    });

    it('credentials holds one profile per account with AKIA… key IDs and 40-character secrets, readable by the owner only', async () => {
      const ini = parseIni(await readFile(server.credentialsFile, 'utf8'));
      assert.deepEqual(Object.keys(ini).sort(), ['admin', 'owner', 'partner']);
      const ids = new Set<string>();
      for (const profile of Object.values(ini)) {
        assert.match(profile.aws_access_key_id ?? '', /^AKIA[A-Z0-9]{16}$/);
        assert.equal(profile.aws_secret_access_key?.length, 40);
        ids.add(profile.aws_access_key_id!);
      }
      assert.equal(ids.size, 3, 'distinct keys per account');
      const mode = (await stat(server.credentialsFile)).mode & 0o777;
      assert.equal(mode & 0o077, 0, `credentials file mode ${mode.toString(8)} must not be group/world readable`);
    });

    it('config has [profile NAME] with region, endpoint_url = the HTTPS endpoint and ca_bundle = the CA PEM', async () => {
      const ini = parseIni(await readFile(server.configFile, 'utf8'));
      for (const name of ['admin', 'owner', 'partner']) {
        const section = ini[`profile ${name}`];
        assert.ok(section, `[profile ${name}]`);
        assert.equal(section.region, 'us-east-1');
        assert.equal(section.endpoint_url, server.httpsEndpoint);
        assert.equal(section.ca_bundle, server.info.caPath);
      }
    });

    it('issue 2 §3: secrets are encrypted at rest — no file besides credentials holds a secret key in clear', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'flush', Body: 'x' }));
      const secrets = ['admin', 'owner', 'partner'].map((p) => server.credentials(p).secretAccessKey);
      for (const file of await filesUnder(server.dataDir)) {
        if (file === server.credentialsFile) continue;
        const content = await readFile(file);
        for (const secret of secrets) assert.ok(!content.includes(secret), `${path.relative(server.dataDir, file)} contains a secret in clear`);
      }
    });

    it('issue 2 §3: a master key file in the data dir has mode 0600', async () => {
      const files = (await readdir(server.dataDir)).filter((f) => /master/i.test(f));
      assert.ok(files.length > 0, `a master key file in ${await readdir(server.dataDir)}`);
      for (const file of files) {
        const mode = (await stat(path.join(server.dataDir, file))).mode & 0o777;
        assert.equal(mode, 0o600, `${file} mode ${mode.toString(8)}`);
      }
    });
  });

  describe('HTTP and HTTPS listeners', () => {
    it('GET /_crossbucket/health → 200 JSON with version, uptimeSeconds and listeners (HTTP and HTTPS)', async () => {
      for (const useHttps of [false, true]) {
        const response = await send(server, { method: 'GET', path: '/_crossbucket/health', https: useHttps });
        assert.equal(response.status, 200);
        assert.match(String(response.headers['content-type']), /application\/json/);
        const body = JSON.parse(response.text);
        assert.equal(typeof body.version, 'string');
        assert.equal(typeof body.uptimeSeconds, 'number');
        assert.ok(body.uptimeSeconds >= 0);
        assert.ok(body.listeners, 'listeners');
        assert.ok(JSON.stringify(body.listeners).includes(String(server.info.httpsPort)), 'listeners name the HTTPS port');
      }
    });

    it('the same API answers on HTTP and on HTTPS with the generated CA', async () => {
      const secure = server.s3('owner', { https: true });
      await secure.send(new PutObjectCommand({ Bucket: bucket, Key: 'via-https', Body: 'tls body' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'via-https' }));
      assert.equal(await got.Body!.transformToString(), 'tls body');
      const listed = await secure.send(new ListBucketsCommand({}));
      assert.ok(listed.Buckets?.some((b) => b.Name === bucket));
      const who = await server.sts('owner', { https: true }).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Account, '111111111111');
    });

    it('the CA is a CA certificate and the server certificate chains to it for localhost (and 127.0.0.1)', async () => {
      const ca = new X509Certificate(server.ca);
      assert.equal(ca.ca, true);
      for (const host of ['localhost', '127.0.0.1']) {
        const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port: server.info.httpsPort, servername: host === 'localhost' ? 'localhost' : undefined, ca: server.ca, checkServerIdentity: (h, cert) => tls.checkServerIdentity(host, cert) }, () => {
            resolve(socket.getPeerCertificate());
            socket.end();
          });
          socket.on('error', reject);
        });
        assert.ok(peer.subjectaltname?.includes(host === 'localhost' ? 'DNS:localhost' : 'IP Address:127.0.0.1'), `SAN ${peer.subjectaltname}`);
      }
    });

    it('a TLS client without the CA refuses the certificate (it is not silently trusted)', async () => {
      const error = await new Promise<Error | null>((resolve) => {
        const req = https.get({ host: '127.0.0.1', servername: 'localhost', port: server.info.httpsPort, path: '/_crossbucket/health', agent: false }, (res) => {
          res.resume();
          resolve(null);
        });
        req.on('error', resolve);
      });
      assert.ok(error, 'connection must fail certificate verification');
      assert.match((error as NodeJS.ErrnoException).code ?? '', /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/);
    });

    it('plain HTTP sent to the HTTPS port does not reach the API', async () => {
      const outcome = await new Promise<string>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: server.info.httpsPort, path: '/_crossbucket/health', agent: false }, (res) => {
          res.resume();
          resolve(`status ${res.statusCode}`);
        });
        req.on('error', () => resolve('error'));
        req.setTimeout(5000, () => req.destroy());
      });
      assert.ok(outcome === 'error' || outcome === 'status 400', outcome);
    });
  });

  describe('restart persistence (issue 2 §7)', () => {
    it('SIGTERM exits 0; objects, buckets and account keys survive a restart; ports may change', async () => {
      const large = randomBytes(3 * MiB);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'persist/small', Body: 'small survives', Metadata: { kept: 'yes' } }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'persist/large', Body: large }));
      const credentialsBefore = await readFile(server.credentialsFile, 'utf8');
      const caBefore = server.ca;
      const ownerIdBefore = (await s3.send(new ListBucketsCommand({}))).Owner?.ID;
      const code = await server.stop();
      assert.equal(code, 0, `exit code after SIGTERM; stderr: ${server.stderr}`);
      await server.start();
      s3 = server.s3('owner');
      assert.equal(await readFile(server.credentialsFile, 'utf8'), credentialsBefore, 'same keys after restart');
      assert.equal(server.ca, caBefore, 'the CA is generated once');
      const list = await s3.send(new ListBucketsCommand({}));
      assert.ok(list.Buckets?.some((b) => b.Name === bucket));
      assert.equal(list.Owner?.ID, ownerIdBefore, 'canonical ID stable across restarts');
      const small = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'persist/small' }));
      assert.equal(await small.Body!.transformToString(), 'small survives');
      assert.deepEqual(small.Metadata, { kept: 'yes' });
      const big = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'persist/large' }));
      assert.ok((await streamToBuffer(big.Body)).equals(large));
      const who = await server.sts('partner').send(new GetCallerIdentityCommand({}));
      assert.equal(who.Account, '222222222222');
    });

    it('kill -9 right after acknowledged PUTs keeps every acknowledged object', async () => {
      const bodies = Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? randomBytes(MiB + i) : Buffer.from(`ack ${i} ${randomBytes(8).toString('hex')}`)));
      const acks = await Promise.all(bodies.map((body, i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: `acked/${i}`, Body: body }))));
      acks.forEach((ack, i) => assert.equal(ack.ETag, quotedMd5(bodies[i]!)));
      await server.kill9();
      await server.start();
      s3 = server.s3('owner');
      for (const [i, body] of bodies.entries()) {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `acked/${i}` }));
        assert.ok((await streamToBuffer(got.Body)).equals(body), `acked/${i} survived kill -9`);
      }
    });

    it('an interrupted PUT (connection cut mid-body) leaves the previous version intact', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'interrupted', Body: 'previous version' }));
      const total = 2 * MiB;
      const signed = await signHeaders(server, 'owner', { method: 'PUT', path: `/${bucket}/interrupted`, headers: { 'content-length': String(total) } }, { payloadHash: 'UNSIGNED-PAYLOAD' });
      await new Promise<void>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port: server.info.httpPort, method: 'PUT', path: `/${bucket}/interrupted`, headers: signed.headers, agent: false });
        req.on('error', () => resolve());
        req.on('response', (res) => {
          res.resume();
          resolve();
        });
        req.write(randomBytes(total / 2), () => setTimeout(() => req.destroy(), 100));
      });
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'interrupted' }));
      assert.equal(await got.Body!.transformToString(), 'previous version');
      await server.kill9();
      await server.start();
      s3 = server.s3('owner');
      const again = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'interrupted' }));
      assert.equal(await again.Body!.transformToString(), 'previous version');
    });

    it('issue 2 §3: --accounts is idempotent across restarts; a new NAME without ID gets a random 12-digit ID', async () => {
      const before = parseIni(await readFile(server.credentialsFile, 'utf8'));
      await server.stop();
      const extended = await startServer({ dataDir: server.dataDir, accounts: 'owner=111111111111,partner=222222222222,third' });
      try {
        const afterIni = parseIni(await readFile(extended.credentialsFile, 'utf8'));
        for (const name of ['admin', 'owner', 'partner']) assert.deepEqual(afterIni[name], before[name], `${name} keys unchanged`);
        assert.ok(afterIni.third?.aws_access_key_id, 'third profile written');
        const who = await extended.sts('third').send(new GetCallerIdentityCommand({}));
        assert.match(who.Account ?? '', /^\d{12}$/);
        assert.ok(!['111111111111', '222222222222'].includes(who.Account!));
        const objects = await extended.s3('owner').send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'persist/' }));
        assert.equal(objects.KeyCount, 2);
      } finally {
        await extended.stop();
      }
      await server.start();
      s3 = server.s3('owner');
    });
  });
});
