/**
 * `emulate --write-config FILE`: a connector configuration file for the running emulators, with the
 * trust files it names written beside it (not in a temporary directory that vanishes with the process),
 * so that `referral-connector auth login|webhooks register|serve --config FILE` work as they are.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type ConnectorSetting, connectorSettings } from '../connector-config.ts';
import type { EmulatorWorld } from '../world.ts';

export type WrittenConnectorConfig = {
  configFile: string;
  dataDir: string;
  signingRootFile: string;
  tlsCaFile?: string;
};

export function writeConnectorConfig(
  world: EmulatorWorld,
  file: string,
  options: { connectorPort: number },
): WrittenConnectorConfig {
  const configFile = resolve(file);
  const directory = dirname(configFile);
  const stem = join(directory, basename(configFile, extname(configFile)));
  const written: WrittenConnectorConfig = {
    configFile,
    dataDir: `${stem}-data`,
    signingRootFile: `${stem}.signing-root.pem`,
    ...(world.tlsCaPem ? { tlsCaFile: `${stem}.tls-ca.pem` } : {}),
  };
  mkdirSync(directory, { recursive: true });
  writeFileSync(written.signingRootFile, world.signingRootPem);
  if (written.tlsCaFile && world.tlsCaPem) writeFileSync(written.tlsCaFile, world.tlsCaPem);
  const settings = connectorSettings(world, {
    dataDir: written.dataDir,
    signingRootsFile: written.signingRootFile,
    ...(written.tlsCaFile ? { tlsCaFile: written.tlsCaFile } : {}),
    server: {
      host: '127.0.0.1',
      port: options.connectorPort,
      publicUrl: `http://127.0.0.1:${options.connectorPort}`,
    },
  });
  const origin = new URL(world.urls.control).origin;
  writeFileSync(
    configFile,
    renderConnectorConfigYaml(settings, [
      `Referral Connector configuration for the emulators at ${origin}, written by`,
      '`referral-connector-emulators --write-config`. It holds only while those emulators run: their port,',
      'CA, signing root and tenant are made at start-up. After restarting them, write it again, sign in again',
      `and register the webhook again (referral-connector auth login --config ${configFile}, then`,
      "`webhooks register`). Every key not set here keeps its default (the connector's docs/configuration.md).",
    ]),
  );
  return written;
}

const WIDTH = 110;

/**
 * YAML with a comment above every key. Values are written as JSON, which is YAML too (flow scalars and
 * sequences), so no string needs YAML-specific quoting rules.
 */
export function renderConnectorConfigYaml(
  settings: readonly ConnectorSetting[],
  header: readonly string[],
): string {
  type Node = { setting?: ConnectorSetting; children: Map<string, Node> };
  const root: Node = { children: new Map() };
  for (const setting of settings) {
    let node = root;
    for (const part of setting.key.split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.setting = setting;
  }
  const lines = header.map((line) => `# ${line}`.trimEnd());
  const emit = (node: Node, indent: string) => {
    let first = true;
    for (const [name, child] of node.children) {
      // A blank line between keys, none right under a section's name.
      if (!first || indent === '') lines.push('');
      first = false;
      if (child.setting) {
        lines.push(...comment(child.setting.why, indent));
        lines.push(`${indent}${name}: ${JSON.stringify(child.setting.value)}`);
      } else {
        lines.push(`${indent}${name}:`);
        emit(child, `${indent}  `);
      }
    }
  };
  emit(root, '');
  return `${lines.join('\n')}\n`;
}

function comment(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + 2 + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${indent}# ${line}`);
  return lines;
}
