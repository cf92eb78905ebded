import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './create-program.ts';
import { OPTIONAL_COMMANDS } from './optional-commands.ts';

type HelpText = { where: string; text: string };

function helpTexts(command: Command, path: string[] = []): HelpText[] {
  const where = [...path, command.name()].join(' ');
  return [
    { where, text: command.description() },
    ...command.options.map((option) => ({ where: `${where} ${option.flags}`, text: option.description })),
    ...command.commands.flatMap((sub) => helpTexts(sub, [...path, command.name()])),
  ];
}

// emulate and demo are placeholders until they run (optional-commands.ts): read the real commands too.
const optionalCommands = await Promise.all(
  OPTIONAL_COMMANDS.map(async ({ load }) => {
    const register = await load();
    if (!register) throw new Error('the emulators did not load, though this repository installs them');
    const program = new Command('referral-connector');
    register(program);
    return program.commands;
  }),
);
const texts = [
  ...helpTexts(await createProgram()),
  ...optionalCommands.flat().flatMap((command) => helpTexts(command, ['referral-connector'])),
];

describe('help texts', () => {
  it('describe every command and option', () => {
    expect(texts.length).toBeGreaterThan(30);
    expect(texts.filter(({ text }) => text.trim() === '').map(({ where }) => where)).toEqual([]);
  });

  it('never say a word and then its own noun ("register the registration")', () => {
    const echoes = texts.filter(({ text }) => /\b([a-z]{4,})\w* (the|a|an) \1/i.test(text));
    expect(echoes).toEqual([]);
  });

  it('say which unit a number of seconds is in', () => {
    const unitless = texts.filter(({ where, text }) => /<seconds>/.test(where) && !/second/.test(text));
    expect(unitless).toEqual([]);
  });
});
