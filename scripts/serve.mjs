#!/usr/bin/env node
// Tiny loopback-only static file server for the built app (no dependencies, Node 20+).
//
//   node scripts/serve.mjs --dir dist --port 8080 [--host 127.0.0.1] [--base /concord/]
//
// --base serves the site under a sub-path, as GitHub Pages serves a project site
// (https://you.github.io/concord/); anything outside it is 404.
//
// Correct MIME types (application/wasm for .wasm), Cache-Control: no-cache, index.html for
// directories, 404 for missing files, no directory traversal. No cross-origin isolation
// headers: GitHub Pages cannot send them, so the app never depends on them.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.data': 'application/octet-stream',
};

export function isLoopbackHost(host) {
  const h = String(host ?? '').trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h.replace(/^::ffff:/, ''));
  return !!m && m.slice(1).every((x) => Number(x) <= 255) && Number(m[1]) === 127;
}

function plain(res, status, text, head) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

export async function startStatic({ dir, port = 8080, host = '127.0.0.1', base = '/' } = {}) {
  const prefix = '/' + String(base).replace(/^\/+|\/+$/g, '') + (String(base).replace(/\//g, '') ? '/' : '');
  if (!isLoopbackHost(host)) throw new Error(`serve: refusing to listen on non-loopback host "${host}" (use 127.0.0.1, ::1 or localhost)`);
  if (!dir) throw new Error('serve: --dir is required');
  const root = fs.realpathSync(path.resolve(dir));
  if (!fs.statSync(root).isDirectory()) throw new Error(`serve: ${dir} is not a directory`);

  const server = http.createServer((req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method Not Allowed\n', head);
    }
    let rel, rawPath;
    try {
      rawPath = new URL(req.url, 'http://static.local').pathname;
      if (prefix !== '/' && rawPath + '/' === prefix) {
        res.writeHead(301, { Location: prefix, 'Cache-Control': 'no-cache' });
        return res.end();
      }
      if (!rawPath.startsWith(prefix)) return plain(res, 404, 'Not Found\n', head);
      rel = decodeURIComponent(rawPath.slice(prefix.length - 1));
    } catch {
      return plain(res, 400, 'Bad Request\n', head);
    }
    // URL parsing collapses "/../", but encoded forms ("%2e%2e%2f", backslashes) survive
    // decoding: resolve the decoded path and check that it stays under the root.
    if (rel.includes('\0')) return plain(res, 400, 'Bad Request\n', head);
    let file = path.resolve(root, '.' + path.sep + rel.replace(/\\/g, '/'));
    if (file !== root && !file.startsWith(root + path.sep)) return plain(res, 403, 'Forbidden\n', head);

    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        if (!rel.endsWith('/')) {
          res.writeHead(301, { Location: rawPath + '/' + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''), 'Cache-Control': 'no-cache' });
          return res.end();
        }
        file = path.join(file, 'index.html');
      }
      // Resolve symlinks and re-check the prefix, so a link cannot point outside the root.
      fs.realpath(file, (err2, real) => {
        if (err2) return plain(res, 404, 'Not Found\n', head);
        if (real !== root && !real.startsWith(root + path.sep)) return plain(res, 403, 'Forbidden\n', head);
        fs.stat(real, (err3, st3) => {
          if (err3 || !st3.isFile()) return plain(res, 404, 'Not Found\n', head);
          const type = MIME[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
          const headers = {
            'Content-Type': type,
            'Content-Length': st3.size,
            'Cache-Control': 'no-cache',
            'Last-Modified': st3.mtime.toUTCString(),
            'X-Content-Type-Options': 'nosniff',
          };
          res.writeHead(200, headers);
          if (head) return res.end();
          const stream = fs.createReadStream(real);
          stream.on('error', () => res.destroy());
          stream.pipe(res);
        });
      });
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const actualPort = server.address().port;
  return {
    port: actualPort,
    host,
    dir: root,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}${prefix}`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument "${argv[i]}"`);
    if (m[1] === 'help') { out[m[1]] = true; continue; }
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new Error(`missing value for --${m[1]}`);
    out[m[1]] = v;
  }
  return out;
}

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`serve: ${e.message}`); process.exit(2); }
  if (args.help) { console.log('usage: node scripts/serve.mjs --dir dist --port 8080 [--host 127.0.0.1] [--base /concord/]'); return; }
  for (const k of Object.keys(args)) {
    if (!['dir', 'port', 'host', 'base'].includes(k)) { console.error(`serve: unknown option --${k}`); process.exit(2); }
  }
  const port = args.port === undefined ? 8080 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error(`serve: invalid --port "${args.port}"`); process.exit(2); }
  let s;
  try {
    s = await startStatic({ dir: args.dir ?? 'dist', port, host: args.host ?? '127.0.0.1', base: args.base ?? '/' });
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  console.log(`serving ${args.dir ?? 'dist'} on ${s.url}`);
  const stop = () => { s.close().then(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const isMain = (() => {
  try { return fs.realpathSync(process.argv[1] ?? '') === fs.realpathSync(fileURLToPath(import.meta.url)); } catch { return false; }
})();
if (isMain) main();
