import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * No inline script may run and nothing loads from elsewhere. Styles allow inline ones: the
 * component library sets CSS variables and `style` attributes at run time.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every file under assets/ by a hash of its content: a changed file gets a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Paths the API and its documents own: never answered with the console's page. */
const SERVER_PATHS = /^\/(v1|docs|docs-json|healthz)(\/|$)/;

interface ConsoleFile {
  body: Buffer;
  /** Worth compressing: text of over 1 KB. */
  compressible: boolean;
  /** Compressed on the first request that takes gzip, not at start: most starts serve no page. */
  gzipped?: Buffer;
  type: string;
  cacheControl: string;
}

function readFiles(dir: string): Map<string, ConsoleFile> {
  const files = new Map<string, ConsoleFile>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
      const body = readFileSync(path);
      const type = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
      const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
      files.set(urlPath, { body, compressible, type, cacheControl: urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE });
    }
  };
  walk(dir);
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, file: ConsoleFile): FastifyReply {
  reply
    .header('content-type', file.type)
    .header('cache-control', file.cacheControl)
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('vary', 'accept-encoding');
  if (file.compressible && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    file.gzipped ??= gzipSync(file.body);
    return reply.header('content-encoding', 'gzip').send(file.gzipped);
  }
  return reply.send(file.body);
}

function decodedPath(url: string): string {
  const path = url.split('?')[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Serves the built console (`console/dist`) at `/`, read into memory once at start. A path that
 * names no file gets `index.html`, so the console's own addresses (`/pools/…`) load it; the API's
 * paths keep their JSON 404. Says whether there was a console to serve.
 */
export function serveConsole(app: NestFastifyApplication, dir: string): boolean {
  if (!existsSync(join(dir, 'index.html'))) {
    new Logger('Console').warn(`No built console in ${dir}: run \`npm run build\` to serve it at /.`);
    return false;
  }
  const files = readFiles(dir);
  const index = files.get('/index.html') as ConsoleFile;
  app
    .getHttpAdapter()
    .getInstance()
    .get('/*', (request, reply) => {
      const path = decodedPath(request.url);
      const file = files.get(path);
      if (file) return send(request, reply, file);
      if (SERVER_PATHS.test(path) || path.startsWith('/assets/')) {
        return reply.status(404).header('content-type', 'application/json; charset=utf-8').send({ error: { code: 'NOT_FOUND', message: 'No such resource.' } });
      }
      return send(request, reply, index);
    });
  return true;
}
