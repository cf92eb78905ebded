import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh directory per test for database files, removed after the test. */
export function useTempDirectory(): () => string {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const directory = mkdtempSync(join(tmpdir(), 'connector-store-'));
    directories.push(directory);
    return directory;
  };
}

export function databasePathIn(directory: string): string {
  return join(directory, 'connector.db');
}
