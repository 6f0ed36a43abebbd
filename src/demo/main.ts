// `npm run demo`: the sample application, the gateway in front of it on the embedded
// database, a few components to look at, and the URLs to open. No configuration needed.

import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.js';
import { attachDatabase } from '../db/open.js';
import { writeAs } from '../audit/write-as.js';
import { createPool } from '../db/pool.js';
import { createLogger } from '../log.js';
import { createSampleApp } from './sample-app.js';

const GATEWAY_MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

// Only for the demo's throwaway data folder; a real deployment sets its own or uses the setup link.
const DEMO_ADMIN = { email: 'admin@example.com', password: 'intermission-demo' };

const DEMO_COMPONENTS = [
  ['Website', 'The shop you browse'],
  ['Checkout', 'Orders and payments'],
  ['API', 'For apps and partners'],
] as const;

async function seedComponents(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger('warn');
  const database = await attachDatabase(config, log);
  const pool = createPool({ url: database.url, log, max: 1 });
  try {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM components');
    if (rows[0]?.n !== '0') return;
    await writeAs(pool, 'demo', 'component.create', async (client) => {
      for (const [position, [name, description]] of DEMO_COMPONENTS.entries()) {
        await client.query('INSERT INTO components (name, description, position) VALUES ($1, $2, $3)', [name, description, position]);
      }
    });
  } finally {
    await pool.end();
    await database.stop();
  }
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function printWelcome(port: number, appPort: number, admin: { email: string; password: string }): void {
  const base = `http://localhost:${port}`;
  process.stdout.write(`
  Intermission demo is running.

    Your application, through the gateway   ${base}/
    The status page                         ${base}/status   (history: ${base}/status/history)
      for tools: ${base}/status/api/v2/summary.json   ${base}/status/history.rss   ${base}/status/badge.svg
    The sample application, directly        http://127.0.0.1:${appPort}/
    The admin area                          ${base}/admin
      sign in as ${admin.email} with the password ${admin.password}
      (made on the first run of this data folder; a password changed since then stays changed)
    Health and metrics                      ${base}/_gateway/readyz   ${base}/_gateway/metrics

  Turn maintenance on and off from another terminal, in this folder:

    npm run cli -- maintenance on --for 10m --message "Upgrading the database"
    npm run cli -- maintenance on --read-only --for 5m
    npm run cli -- status
    npm run cli -- bypass-link --for 1h
    npm run cli -- maintenance off

  Press Ctrl-C to stop.

`);
}

async function main(): Promise<void> {
  const app = createSampleApp();
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const appPort = (app.address() as AddressInfo).port;
  const env = {
    SITE_NAME: 'Sample shop',
    SUPPORT_EMAIL: 'support@example.com',
    WORKERS: '1',
    LOG_LEVEL: 'info',
    HEALTHCHECK_PATH: '/healthz',
    ...process.env,
    ADMIN_EMAIL: process.env.ADMIN_EMAIL ?? DEMO_ADMIN.email,
    ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? DEMO_ADMIN.password,
    UPSTREAM_URL: `http://127.0.0.1:${appPort}`,
    PORT: process.env.PORT ?? '8080',
  };
  const gateway = spawn(process.execPath, [GATEWAY_MAIN], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let announced = false;
  gateway.stdout.setEncoding('utf8');
  gateway.stdout.on('data', function onGatewayOutput(chunk: string) {
    for (const line of chunk.split('\n')) {
      const entry = parseLogLine(line);
      if (!entry) continue;
      if (entry.msg === 'gateway listening' && !announced) {
        announced = true;
        seedComponents(env).then(
          () => printWelcome(Number(entry.port), appPort, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
          (err: Error) => process.stderr.write(`demo: could not add sample components: ${err.message}\n`),
        );
      } else if (Number(entry.level) >= 40 || entry.msg === 'request') {
        // The demo keeps the terminal readable: problems, and what the gateway answered itself.
        const detail = entry.msg === 'request' ? `${entry.method} ${entry.path} -> ${entry.status} (${entry.outcome})` : entry.msg;
        process.stdout.write(`  gateway: ${detail}\n`);
      }
    }
  });
  // Ctrl-C reaches the gateway too (same process group); it drains and stops its database.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => gateway.kill('SIGTERM'));
  gateway.on('exit', (code) => {
    app.close();
    process.exit(code ?? 0);
  });
}

main().catch((err: Error) => {
  process.stderr.write(`demo: ${err.message}\n`);
  process.exit(1);
});
