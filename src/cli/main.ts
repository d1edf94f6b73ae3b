#!/usr/bin/env node
import { version } from './version.js';

// Commands load lazily: `serve` must not pay for the AWS SDK clients the grant commands use.

const help = `crossbucket ${version} — a self-hosted S3 that behaves like AWS for multi-account access

Usage: crossbucket <command> [options]

Commands:
  serve       run the server (crossbucket serve --help)
  accounts    list or create accounts in a data directory (crossbucket accounts --help)
  grant       give another account access to a bucket (crossbucket grant --help)
  verify      check a hand-off package as the external party
  review      list every external access path to a bucket
  revoke      remove a client's grant
  audit       print the audit trail of a data directory (crossbucket audit --help)
  version     print the version

Examples:
  crossbucket serve --accounts owner=111111111111,partner=222222222222
  crossbucket accounts list --data ./crossbucket-data
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await import('./serve.js')).runServeCommand(rest);
    case 'accounts':
      return (await import('./accounts.js')).runAccountsCommand(rest);
    case 'grant':
      return (await import('./grant.js')).runGrantCommand(rest);
    case 'verify':
      return (await import('./grant.js')).runVerifyCommand(rest);
    case 'review':
      return (await import('./grant.js')).runReviewCommand(rest);
    case 'revoke':
      return (await import('./grant.js')).runRevokeCommand(rest);
    case 'audit':
      return (await import('./audit.js')).runAuditCommand(rest);
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
