/**
 * `varprop explore [--port N] [--rebuild] [--out-dir DIR]`: builds the explorer when its sources
 * changed, serves it on 127.0.0.1 and prints the address. The server runs until the process ends.
 */
import { InputError } from '../../errors.js';
import { DEFAULT_OUT_DIR, buildExplorer, needsBuild } from '../../explorer/build.js';
import { serveStatic, type StaticServer } from '../../explorer/server.js';
import type { CliIO } from '../io.js';
import type { RegisterCommand } from './index.js';

export interface ExploreOptions {
  port?: number;
  rebuild?: boolean;
  outDir?: string;
}

/** Builds if needed, then serves; returns the running server (tests close it). */
export async function startExplorer(options: ExploreOptions, io: CliIO): Promise<StaticServer> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  if (options.rebuild || (await needsBuild(outDir))) {
    io.stderr('building the explorer...\n');
    await buildExplorer({ outDir, log: (line) => io.stderr(`${line}\n`) });
  }
  let server: StaticServer;
  try {
    server = await serveStatic(outDir, { port: options.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new InputError('--port', options.port, 'a free port (or leave it out to pick one)', `port ${options.port} is ${code === 'EADDRINUSE' ? 'in use' : 'not permitted'}`);
    }
    throw error;
  }
  io.stdout(`varprop explorer: ${server.url}\n`);
  io.stderr('serving static files from the build folder; press Ctrl+C to stop\n');
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
    .option('--out-dir <dir>', 'build folder', DEFAULT_OUT_DIR)
    .action(async (opts: { port?: string; rebuild?: boolean; outDir: string }) => {
      const port = opts.port === undefined ? undefined : parsePort(opts.port);
      await startExplorer({ port, rebuild: opts.rebuild, outDir: opts.outDir }, io);
    });
};

