// descent playground: serve the interactive page (dist/playground, built by browser/build.mjs) on localhost, or
// copy it as static files. The server sends the cross-origin-isolation headers that let the page use the wasm
// kernels' shared memory; any static host works too (without those headers the page uses the TypeScript kernels).

import { createServer, type Server } from 'node:http';
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, intOption, stringOption, type OptionSpec } from '../args.js';
import type { CliContext } from '../context.js';

export const PLAYGROUND_USAGE = `Usage: descent playground [--port 8080] [--host 127.0.0.1] [--out <dir>]

Serve the descent playground (optimizer race, training a network, tuning; all running on descent in a Web
Worker) on localhost and print its URL. Stop with Ctrl-C. The library's browser bundle is served beside it
under /descent/ (descent.js and descent.wasm).

Options:
  --port <n>    port to listen on (default 8080; 0 picks a free one)
  --host <h>    interface to listen on (default 127.0.0.1)
  --out <dir>   instead of serving, copy the page's static files to <dir> (host them anywhere)
  -h, --help    this help`;

const OPTIONS: OptionSpec = { port: { type: 'string' }, host: { type: 'string' }, out: { type: 'string' } };
export const PLAYGROUND_DIR = fileURLToPath(new URL('../../../playground/', import.meta.url));
/** The library's browser bundle, also served under /descent/ (import('/descent/descent.js') in the console). */
const BUNDLE_DIR = fileURLToPath(new URL('../../../browser/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.map': 'application/json', '.json': 'application/json',
};

function checkBuilt(): void {
  if (!existsSync(join(PLAYGROUND_DIR, 'index.html')) || !existsSync(join(PLAYGROUND_DIR, 'worker.js'))) {
    throw new Error(`The playground is not built (${PLAYGROUND_DIR} has no index.html / worker.js); run: npm run build`);
  }
}

/** Serve the playground; resolves once listening. */
export function startPlayground(options: { port?: number; host?: string } = {}): Promise<{ url: string; server: Server }> {
  checkBuilt();
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const [base, rel] = path.startsWith('/descent/') ? [BUNDLE_DIR, path.slice('/descent'.length)] : [PLAYGROUND_DIR, path];
    const file = normalize(join(base, rel.endsWith('/') ? `${rel}index.html` : rel));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile() || req.method !== 'GET') {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      const a = server.address() as { address: string; port: number };
      const host = a.address.includes(':') ? `[${a.address}]` : a.address;
      ok({ url: `http://${host}:${a.port}/`, server });
    });
  });
}

export async function playground(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse('playground', argv, OPTIONS, { min: 0, max: 0, names: '' });
  if (values.help) return ctx.out(PLAYGROUND_USAGE), 0;
  const out = stringOption(values, 'out');
  if (out) {
    checkBuilt();
    const keep = (src: string) => !src.startsWith(join(PLAYGROUND_DIR, 'src')) && !src.endsWith('.map');
    cpSync(PLAYGROUND_DIR, resolve(out), { recursive: true, filter: keep });
    cpSync(BUNDLE_DIR, join(resolve(out), 'descent'), { recursive: true, filter: keep });
    ctx.out(`Playground written to ${resolve(out)} (open index.html through any static web server).`);
    return 0;
  }
  const port = intOption('playground', values, 'port', 0) ?? 8080;
  const { url, server } = await startPlayground({ port, host: stringOption(values, 'host') });
  ctx.out(`descent playground: ${url}  (Ctrl-C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
