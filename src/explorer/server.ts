/**
 * A static file server for the built explorer: Node's `http` module, GET/HEAD only, files under one
 * root, nothing else (the app needs no server code). Binds to 127.0.0.1; port 0 lets the OS choose.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createGzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

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
  const server = createServer((request, response) => {
    void respond(base, request.method ?? 'GET', request.url ?? '/', request.headers, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
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
  response: import('node:http').ServerResponse,
): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
  } catch {
    response.writeHead(400).end('bad request');
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = path.resolve(base, `.${pathname}`);
  // Never leave the root (`..`, encoded or not, is resolved away above and rejected here).
  if (file !== base && !file.startsWith(base + path.sep)) {
    response.writeHead(403).end('forbidden');
    return;
  }
  let size: number;
  let etag: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
    etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const common = {
    'content-type': type,
    // The page is rebuilt in place: the browser revalidates (a cheap 304) instead of running a stale bundle.
    'cache-control': 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
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
  const stream = createReadStream(file);
  if (gzip) stream.pipe(createGzip({ level: 6 })).pipe(response);
  else stream.pipe(response);
}
