/**
 * The ceiling: a bare node:http server with no authentication and no storage, run as its own
 * process like crossbucket. PUT drains the body and answers 200 with an ETag (like PutObject);
 * a PUT carrying `x-raw-keep: 1` keeps the body in memory under its path, and GET serves the kept
 * bytes for that path (so GETs send exactly the bytes crossbucket sends). Prints its port on stdout.
 * Run: node dist/bench/raw-server.js
 */
import http from 'node:http';

const kept = new Map<string, Buffer>();
const etag = '"0123456789abcdef0123456789abcdef"';

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method === 'PUT') {
    const keep = req.headers['x-raw-keep'] === '1';
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (keep) chunks.push(chunk);
    });
    req.on('end', () => {
      if (keep) kept.set(path, Buffer.concat(chunks));
      res.writeHead(200, { etag, 'content-length': 0 });
      res.end();
    });
    return;
  }
  const body = kept.get(path);
  if (req.method !== 'GET' || !body) {
    req.resume();
    res.writeHead(404, { 'content-length': 0 });
    res.end();
    return;
  }
  res.writeHead(200, { etag, 'content-type': 'binary/octet-stream', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
