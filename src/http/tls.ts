/**
 * TLS material for the HTTPS listener, generated on first start under `<data>/tls/`:
 *   ca.pem / ca.key         a private CA (10 years); ca.pem is what clients pass as --ca-bundle
 *   server.pem / server.key the server certificate signed by the CA (800 days — under the 825-day
 *                           limit Apple platforms enforce even for private CAs), SANs localhost,
 *                           *.localhost, 127.0.0.1, ::1. Verifiers reject `*.localhost` (a
 *                           wildcard right above a single label), so virtual-hosted
 *                           `bucket.localhost` is served through `sniCallback`: a certificate for
 *                           exactly that name, signed by the CA on first use and cached.
 * Keys are mode 0600; the directory 0700. The CA is regenerated when missing or unreadable, or
 * within 830 days of expiry (so it outlives every server certificate it signs); the server
 * certificate when missing, within 30 days of expiry, or no longer matching the CA, its key or the
 * SAN list. X.509 encoding is node-forge's; keys and signatures come from node:crypto (fast).
 * Certificates carry the extensions strict verifiers (OpenSSL X509_STRICT, Python ≥ 3.13) require:
 * critical basicConstraints and keyUsage, subject/authority key identifiers, serverAuth EKU.
 */
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import forge from 'node-forge';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { writeFileAtomic } from '../crypto/atomic-write.js';

export interface TlsMaterial {
  /** Absolute path of the CA certificate PEM (the bundle clients trust). */
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /**
   * For `https.createServer({ SNICallback })`: serves `<name>.localhost` (virtual-hosted buckets)
   * a certificate naming that host exactly, minted on first use and cached. Needed because
   * verifiers (OpenSSL, Node) reject a wildcard directly under a single-label name such as
   * `*.localhost`. Other names get the default certificate.
   */
  sniCallback: (servername: string, callback: (error: Error | null, context?: SecureContext) => void) => void;
}

export interface TlsOptions {
  clock?: Clock;
  /** Extra SAN DNS names / IPs beyond the defaults. */
  extraDnsNames?: string[];
  extraIpAddresses?: string[];
}

const dayMs = 24 * 3600 * 1000;
const caValidityDays = 3650;
const serverValidityDays = 800;
const renewBeforeDays = 30;
const defaultDnsNames = ['localhost', '*.localhost'];
const defaultIpAddresses = ['127.0.0.1', '::1'];

interface KeyPair {
  privateKeyPem: string;
  privateKey: KeyObject;
  forgePublic: forge.pki.PublicKey;
}

function newKeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return importKeyPair(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
}

function importKeyPair(privateKeyPem: string): KeyPair {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem, privateKey, forgePublic: forge.pki.publicKeyFromPem(publicPem) };
}

/**
 * Sign with node:crypto instead of forge's JavaScript RSA (~1 ms instead of ~30 ms): forge's
 * cert.sign() feeds the DER TBSCertificate to `md.update` and asks `key.sign(md)` for the signature.
 */
function signCertificate(cert: forge.pki.Certificate, issuerKey: KeyObject): void {
  let tbs = '';
  const md = {
    algorithm: 'sha256',
    update(bytes: string) {
      tbs += bytes;
      return md;
    },
  };
  const signer = { sign: () => cryptoSign('sha256', Buffer.from(tbs, 'binary'), issuerKey).toString('binary') };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, md as unknown as forge.md.MessageDigest);
}

/** A positive 128-bit serial (first bit clear, as DER INTEGER must not look negative). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, nowMs: number, days: number): void {
  cert.validity.notBefore = new Date(nowMs - 3600 * 1000); // tolerate small clock skew
  cert.validity.notAfter = new Date(nowMs + days * dayMs);
}

function createCa(keys: KeyPair, nowMs: number): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serialNumber();
  validity(cert, nowMs, caValidityDays);
  const subject = [
    { name: 'commonName', value: `crossbucket local CA ${new Date(nowMs).toISOString().slice(0, 10)}` },
    { name: 'organizationName', value: 'crossbucket' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, keys.privateKey);
  return forge.pki.certificateToPem(cert);
}

function createServerCert(keys: KeyPair, caPem: string, caKeys: KeyPair, nowMs: number, dnsNames: string[], ips: string[]): string {
  const ca = forge.pki.certificateFromPem(caPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serialNumber();
  validity(cert, nowMs, serverValidityDays);
  cert.setSubject([{ name: 'commonName', value: dnsNames[0]! }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  signCertificate(cert, caKeys.privateKey);
  return forge.pki.certificateToPem(cert);
}

async function readOptional(filePath: string): Promise<string | null> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseCert(pem: string | null): X509Certificate | null {
  if (pem === null) return null;
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

function fresh(cert: X509Certificate, nowMs: number, remainingDays: number): boolean {
  return Date.parse(cert.validFrom) <= nowMs && Date.parse(cert.validTo) - remainingDays * dayMs > nowMs;
}

function keyMatches(cert: X509Certificate, keyPem: string | null): boolean {
  if (keyPem === null) return false;
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** Node prints IPv6 SANs in full ("0:0:0:0:0:0:0:1"); compare addresses, not strings. */
function sanMatches(cert: X509Certificate, dnsNames: string[], ips: string[]): boolean {
  const entries = (cert.subjectAltName ?? '').split(', ');
  const dns = new Set(entries.filter((entry) => entry.startsWith('DNS:')).map((entry) => entry.slice(4)));
  const present = new BlockList();
  for (const entry of entries) {
    if (!entry.startsWith('IP Address:')) continue;
    const address = entry.slice(11);
    const family = isIP(address);
    if (family !== 0) present.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
  }
  return dnsNames.every((name) => dns.has(name)) && ips.every((ip) => present.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4'));
}

const localhostSubdomain = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+localhost$/;
const hostContextsMax = 1024;

function createSniCallback(serverKeys: KeyPair, caPem: string, caKeys: KeyPair, clock: Clock, ips: string[]): TlsMaterial['sniCallback'] {
  const contexts = new Map<string, { context: SecureContext; renewAtMs: number }>();
  return (servername, callback) => {
    const host = servername.toLowerCase();
    if (host.length > 253 || !localhostSubdomain.test(host)) {
      callback(null);
      return;
    }
    const nowMs = clock.nowMs();
    const cached = contexts.get(host);
    if (cached && cached.renewAtMs > nowMs) {
      callback(null, cached.context);
      return;
    }
    try {
      const certPem = createServerCert(serverKeys, caPem, caKeys, nowMs, [host, 'localhost'], ips);
      const context = createSecureContext({ key: serverKeys.privateKeyPem, cert: certPem });
      contexts.delete(host);
      if (contexts.size >= hostContextsMax) contexts.delete(contexts.keys().next().value!);
      contexts.set(host, { context, renewAtMs: nowMs + (serverValidityDays - renewBeforeDays) * dayMs });
      callback(null, context);
    } catch (error) {
      callback(error as Error);
    }
  };
}

/** Load `<dataDir>/tls/*`, (re)generating the CA and/or server certificate as needed. */
export async function ensureTlsMaterial(dataDir: string, options: TlsOptions = {}): Promise<TlsMaterial> {
  const clock = options.clock ?? systemClock;
  const nowMs = clock.nowMs();
  const dnsNames = [...defaultDnsNames, ...(options.extraDnsNames ?? [])];
  const ips = [...defaultIpAddresses, ...(options.extraIpAddresses ?? [])];
  const directory = path.join(path.resolve(dataDir), 'tls');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const files = {
    caPem: path.join(directory, 'ca.pem'),
    caKey: path.join(directory, 'ca.key'),
    certPem: path.join(directory, 'server.pem'),
    certKey: path.join(directory, 'server.key'),
  };

  let caPem = await readOptional(files.caPem);
  let caKeyPem = await readOptional(files.caKey);
  const ca = parseCert(caPem);
  let caRenewed = false;
  if (!ca || !ca.ca || !fresh(ca, nowMs, serverValidityDays + renewBeforeDays) || !keyMatches(ca, caKeyPem)) {
    const keys = newKeyPair();
    caKeyPem = keys.privateKeyPem;
    caPem = createCa(keys, nowMs);
    await writeFileAtomic(files.caKey, caKeyPem, 0o600);
    await writeFileAtomic(files.caPem, caPem, 0o644);
    caRenewed = true;
  }

  const caKeys = importKeyPair(caKeyPem!);
  let certPem = await readOptional(files.certPem);
  let keyPem = await readOptional(files.certKey);
  const server = parseCert(certPem);
  const caCert = new X509Certificate(caPem!);
  const usable =
    !caRenewed && server !== null && fresh(server, nowMs, renewBeforeDays) && keyMatches(server, keyPem) && server.verify(caCert.publicKey) && sanMatches(server, dnsNames, ips);
  let serverKeys: KeyPair;
  if (usable) {
    serverKeys = importKeyPair(keyPem!);
  } else {
    serverKeys = newKeyPair();
    keyPem = serverKeys.privateKeyPem;
    certPem = createServerCert(serverKeys, caPem!, caKeys, nowMs, dnsNames, ips);
    await writeFileAtomic(files.certKey, keyPem, 0o600);
    await writeFileAtomic(files.certPem, certPem, 0o644);
  }
  return {
    caPath: files.caPem,
    caPem: caPem!,
    certPem: certPem!,
    keyPem: keyPem!,
    sniCallback: createSniCallback(serverKeys, caPem!, caKeys, clock, ips),
  };
}
