import { availableParallelism, cpus, totalmem } from 'node:os';
import { MB } from './stats.ts';

export type Machine = {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  platform: string;
};

export function describeMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(totalmem() / MB),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
