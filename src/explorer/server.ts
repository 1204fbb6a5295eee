/**
 * A static file server for the built explorer: Node's `http` module, GET/HEAD only, files under one
 * root, nothing else (the app needs no server code). Binds to 127.0.0.1; port 0 lets the OS choose.
 * Hardened for a machine with other local users and a browser visiting other sites: it answers only
 * requests addressed to its own loopback host and port (a DNS-rebinding page cannot read it), sends a
 * Content-Security-Policy and refuses to be framed, and closes every file it opens, whether the
 * client reads the whole answer or hangs up halfway.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import path from 'node:path';

/**
 * What the explorer page may load: only its own files. vega compiles chart expressions with
 * `new Function` ('unsafe-eval'), tfjs instantiates WebAssembly ('wasm-unsafe-eval'), and KaTeX and
 * vega set inline styles ('unsafe-inline' for styles only; no inline script runs).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** e.g. `http://127.0.0.1:43117/` */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Port to listen on; 0 or undefined lets the OS choose a free one. */
  port?: number;
  host?: string;
}

/** Serves the files under `root` (index.html for `/`). Resolves once listening. */
export async function serveStatic(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const base = path.resolve(root);
  const host = options.host ?? '127.0.0.1';
  let allowedHosts = new Set<string>();
  const server = createServer((request, response) => {
    // DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 sends Host: evil.example.
    if (!allowedHosts.has(String(request.headers.host ?? '').toLowerCase())) {
      response.writeHead(421, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('wrong host: use the address varprop printed');
      return;
    }
    respond(base, request.method ?? 'GET', request.url ?? '/', request.headers, response).catch(() => {
      // Anything unexpected ends this one answer, never the server.
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, an error (e.g. EMFILE when accepting a connection with no descriptor left)
  // refuses that one connection; without a listener Node would end the process.
  server.on('error', () => undefined);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host.includes(':') ? `[${host}]` : host}:${port}`.toLowerCase()]);
  return {
    url: `http://${host}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function respond(
  base: string,
  method: string,
  rawUrl: string,
  headers: IncomingHttpHeaders,
  response: ServerResponse,
): Promise<void> {
  const text = { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' };
  if (method !== 'GET' && method !== 'HEAD') {
    response.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
  } catch {
    response.writeHead(400, text).end('bad request');
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = path.resolve(base, `.${pathname}`);
  // Never leave the root (`..`, encoded or not, is resolved away above and rejected here).
  if (file !== base && !file.startsWith(base + path.sep)) {
    response.writeHead(403, text).end('forbidden');
    return;
  }
  let size: number;
  let etag: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    size = info.size;
    etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  } catch (error) {
    const missing = ['ENOENT', 'ENOTDIR', 'ENAMETOOLONG'].includes(String((error as NodeJS.ErrnoException).code));
    // Out of descriptors (EMFILE) and the like are the server's trouble, not a missing file.
    response.writeHead(missing ? 404 : 503, text).end(missing ? 'not found' : 'busy, try again');
    return;
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const common = {
    ...SECURITY_HEADERS,
    'content-type': type,
    // The page is rebuilt in place: the browser revalidates (a cheap 304) instead of running a stale bundle.
    'cache-control': 'no-cache',
    etag,
  };
  if (headers['if-none-match'] === etag) {
    response.writeHead(304, common).end();
    return;
  }
  // Text (scripts, styles, maps) compresses 3–4×; fonts, wasm and images are sent as they are.
  const gzip = /^(text\/|application\/(json|wasm))/.test(type) && /\bgzip\b/.test(String(headers['accept-encoding'] ?? ''));
  response.writeHead(200, gzip ? { ...common, 'content-encoding': 'gzip', vary: 'accept-encoding' } : { ...common, 'content-length': size });
  if (method === 'HEAD') {
    response.end();
    return;
  }
  // pipeline, not pipe: when the client hangs up or the file cannot be opened (EMFILE), every stream
  // is destroyed, so the file descriptor is closed and the error is handled here instead of
  // escaping as an unhandled 'error' event that would end the server.
  const done = (error: NodeJS.ErrnoException | null) => {
    if (error && !response.destroyed) response.destroy();
  };
  const stream = createReadStream(file);
  if (gzip) pipeline(stream, createGzip({ level: 6 }), response, done);
  else pipeline(stream, response, done);
}
