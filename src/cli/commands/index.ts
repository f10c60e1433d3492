import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerAlgorithms } from './algorithms.js';
import { registerCalibrate } from './calibrate.js';
import { registerDevices } from './devices.js';
import { registerGraph500 } from './graph500.js';
import { registerGraph500Levels } from './graph500-levels.js';
import { registerChart } from './chart.js';
import { registerFigures } from './figures.js';
import { registerReport } from './report.js';
import { registerImport } from './import.js';
import { registerPredict } from './predict.js';
import { registerProfiles } from './profiles.js';
import { registerProbe } from './probe.js';
import { registerSim } from './sim.js';
import { registerValidate } from './validate.js';
import { registerWhatif } from './whatif.js';

/** A command file registers its subcommand on the program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** Every `ibvf` command, in the order `ibvf --help` lists them. */
export const commands: RegisterCommand[] = [
  registerWhatif,
  registerPredict,
  registerGraph500,
  registerGraph500Levels,
  registerProfiles,
  registerAlgorithms,
  registerProbe,
  registerDevices,
  registerImport,
  registerCalibrate,
  registerSim,
  registerValidate,
  registerChart,
  registerFigures,
  registerReport,
];
