/**
 * `varprop explore [--port N] [--rebuild] [--out-dir DIR]`: builds the explorer when its sources
 * changed, serves it on 127.0.0.1 and prints the address. The server runs until the process ends.
 */
import { InputError } from '../../errors.js';
import path from 'node:path';
import { DEFAULT_OUT_DIR, assertOwnBuildFolder, buildExplorer, needsBuild } from '../../explorer/build.js';
import type { StaticServer } from '../../explorer/server.js';
import type { CliIO } from '../io.js';
import type { RegisterCommand } from './index.js';

export interface ExploreOptions {
  port?: number;
  rebuild?: boolean;
  outDir?: string;
}

/**
 * Takes the port, then builds if needed, then serves; returns the running server (tests close it).
 * The port comes first: a second `explore` on a busy port must fail before it touches the build
 * folder another explorer is serving from.
 */
export async function startExplorer(options: ExploreOptions, io: CliIO): Promise<StaticServer> {
  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  // Refuse someone else's folder before anything else happens.
  await assertOwnBuildFolder(outDir);
  const server = await listen(outDir, options.port);
  try {
    if (options.rebuild || (await needsBuild(outDir))) {
      io.stderr('building the explorer...\n');
      await buildExplorer({ outDir, log: (line) => io.stderr(`${line}\n`) });
    }
  } catch (error) {
    await server.close();
    throw error;
  }
  io.stdout(`varprop explorer: ${server.url}\n`);
  io.stderr('serving static files from the build folder; press Ctrl+C to stop\n');
  return server;
}

async function listen(outDir: string, port: number | undefined): Promise<StaticServer> {
  const { serveStatic } = await import('../../explorer/server.js');
  let server: StaticServer;
  try {
    server = await serveStatic(outDir, { port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new InputError('--port', port, 'a free port (or leave it out to pick one)', `Port ${port} is ${code === 'EADDRINUSE' ? 'in use' : 'not permitted'}`);
    }
    throw error;
  }
  return server;
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError('--port', text, 'an integer from 0 to 65535 (0 picks a free port)');
  }
  return port;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('explore')
    .description('Build (if needed) and serve the interactive explorer on 127.0.0.1')
    .option('--port <n>', 'port to listen on (default: a free port)')
    .option('--rebuild', 'rebuild the app even when it looks up to date')
    .option('--out-dir <dir>', 'build folder (new, empty, or an earlier explorer build: it is replaced as a whole)', DEFAULT_OUT_DIR)
    .action(async (opts: { port?: string; rebuild?: boolean; outDir: string }) => {
      const port = opts.port === undefined ? undefined : parsePort(opts.port);
      await startExplorer({ port, rebuild: opts.rebuild, outDir: opts.outDir }, io);
    });
};

