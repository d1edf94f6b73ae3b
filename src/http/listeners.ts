import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ListenerSpec {
  host: string;
  httpPort: number;
  httpsPort: number | null;
  tls: { certPem: string; keyPem: string } | null;
}

export interface RunningListeners {
  http: http.Server;
  https: https.Server | null;
  addresses(): Array<{ protocol: 'http' | 'https'; host: string; port: number }>;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function listen(server: http.Server | https.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Start the HTTP and HTTPS listeners serving the same handler. */
export async function startListeners(spec: ListenerSpec, makeHandler: (tls: boolean) => Handler): Promise<RunningListeners> {
  const options = { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 };
  const plain = http.createServer(options, makeHandler(false));
  await listen(plain, spec.httpPort, spec.host);
  let secure: https.Server | null = null;
  if (spec.httpsPort !== null && spec.tls) {
    secure = https.createServer({ ...options, cert: spec.tls.certPem, key: spec.tls.keyPem }, makeHandler(true));
    await listen(secure, spec.httpsPort, spec.host);
  }
  const addresses = () => {
    const out: Array<{ protocol: 'http' | 'https'; host: string; port: number }> = [];
    const a = plain.address() as AddressInfo | null;
    if (a) out.push({ protocol: 'http', host: spec.host, port: a.port });
    const b = secure?.address() as AddressInfo | null | undefined;
    if (b) out.push({ protocol: 'https', host: spec.host, port: b.port });
    return out;
  };
  const closeOne = (server: http.Server | https.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // In-flight requests get a grace period, then the sockets are cut.
      setTimeout(() => server.closeAllConnections(), 5_000).unref();
    });
  return {
    http: plain,
    https: secure,
    addresses,
    close: async () => {
      await Promise.all([closeOne(plain), ...(secure ? [closeOne(secure)] : [])]);
    },
  };
}
