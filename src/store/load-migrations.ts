import { readdirSync, readFileSync } from 'node:fs';

/** One numbered `NNNN-name.sql` file of a backend's `migrations/` directory. */
export type Migration = { version: number; name: string; sql: string };

const FILE_NAME = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** The numbered `NNNN-name.sql` files of `directory`, in order; numbers must run 1, 2, 3… without gaps. */
export function loadMigrations(directory: URL): Migration[] {
  const migrations = readdirSync(directory)
    .flatMap((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) return [];
      return [
        {
          version: Number(match[1]),
          name: match[2] ?? file,
          sql: readFileSync(new URL(file, directory), 'utf8'),
        },
      ];
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration numbers must run 1, 2, 3… without gaps or repeats; found ${migration.version}`,
      );
    }
  });
  return migrations;
}
