import { consoleUrl, type ServerConfig } from './config/config';

/** What a person who just ran `npm start` at a terminal does next, as plain lines under the listening line. */
export function nextSteps(config: ServerConfig, port: number, state: { consoleServed: boolean; firstAdminNeeded: boolean }): string {
  const base = consoleUrl(config, port);
  const storage = config.databaseUrl ? 'DATABASE_URL' : `SEATLOCK_DATA_DIR=${config.dataDir}`;
  const lines = [
    '',
    state.consoleServed ? `  Console:   ${base}/` : '  Console:   not built (npm run build -w console), so not served',
    `  API docs:  ${base}/docs`,
    `  Data:      ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.dataDir}`,
    '',
  ];
  if (state.firstAdminNeeded) {
    lines.push(
      '  No admin yet. In another terminal, in this directory, with the same ' + storage + ':',
      '    npx seatlock-admin users invite --email you@example.com --role admin --name "Your Name"',
      '        a person for the console: prints the link to open and set a password',
      '    npx seatlock-admin tokens create --role admin --name first-admin',
      '        an API token for curl and scripts (shown once)',
      '',
    );
  }
  lines.push('  Ctrl-C stops the server. Log lines follow.', '');
  return `${lines.join('\n')}\n`;
}
