import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.ts';
import { renderReport, reportJson } from '../doctor/render-report.ts';
import { runDoctor } from '../doctor/run-doctor.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';

/** Exit status when a check failed; 0 when none did (warnings included). */
export const DOCTOR_FAILED_EXIT = 1;

export function registerDoctorCommand(program: Command): void {
  withConfigFlags(
    program
      .command('doctor')
      .description(
        'check everything a go-live needs: configuration and trust files, store, Entra sign-in and MFA, webhook registration, CRM setup, clock',
      ),
  )
    .option('--json', 'print the checks as JSON, for scripts')
    .action(async (flags: ConfigFlags & { json?: boolean }) => {
      const report = await runDoctor(() => configFromFlags(flags), {
        ...optionalSource(
          flags.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined),
        ),
      });
      process.stdout.write(
        flags.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : renderReport(report),
      );
      if (!report.ok) process.exitCode = DOCTOR_FAILED_EXIT;
    });
}

function optionalSource(source: string | undefined): { source?: string } {
  return source === undefined ? {} : { source };
}
