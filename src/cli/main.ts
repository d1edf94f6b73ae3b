#!/usr/bin/env node
import { runServeCommand } from './serve.js';
import { runAccountsCommand } from './accounts.js';
import { version } from './version.js';

const help = `crossbucket ${version} — a self-hosted S3 that behaves like AWS for multi-account access

Usage: crossbucket <command> [options]

Commands:
  serve       run the server (crossbucket serve --help)
  accounts    list or create accounts in a data directory (crossbucket accounts --help)
  version     print the version

Examples:
  crossbucket serve --accounts owner=111111111111,partner=222222222222
  crossbucket accounts list --data ./crossbucket-data
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(rest);
    case 'accounts':
      return runAccountsCommand(rest);
    case 'version':
    case '--version':
      process.stdout.write(`${version}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(help);
      return 0;
    default:
      process.stderr.write(`crossbucket: unknown command '${command}'\n\n${help}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`crossbucket: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
