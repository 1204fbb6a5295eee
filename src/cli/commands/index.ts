/**
 * The CLI's command table: each command lives in its own file and registers itself on the program.
 * Adding a command is adding a file and one line here.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { register as gain } from './gain.js';
import { register as explore } from './explore.js';
import { register as fans } from './fans.js';
import { register as check } from './check.js';
import { register as sample } from './sample.js';
import { register as demo } from './demo.js';
import { register as derive } from './derive.js';
import { register as report } from './report.js';
import { register as docs } from './docs.js';
import { register as signal } from './signal.js';
import { register as fluctuations } from './fluctuations.js';
import { register as widthscale } from './widthscale.js';
import { register as recipe } from './recipe.js';
import { register as audit } from './audit.js';
import { register as jacobian } from './jacobian.js';
import { register as transformer } from './transformer.js';

export type RegisterCommand = (program: Command, io: CliIO) => void;

export const commands: RegisterCommand[] = [
  gain,
  explore,
  fans,
  check,
  sample,
  demo,
  derive,
  report,
  docs,
  signal,
  fluctuations,
  jacobian,
  recipe,
  widthscale,
  audit,
  transformer,
];
