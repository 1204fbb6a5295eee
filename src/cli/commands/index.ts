/**
 * The CLI's command table: each command lives in its own file and registers itself on the program.
 * Adding a command is adding a file and one line here.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io.js';

export type RegisterCommand = (program: Command, io: CliIO) => void;

export const commands: RegisterCommand[] = [];
