import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, requireUpstream } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';

function rejects(env: Record<string, string>, ...fragments: string[]): void {
  assert.throws(
    () => loadConfig(env),
    (err: Error) => {
      assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
      for (const fragment of fragments) assert.match(err.message, new RegExp(fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      return true;
    },
  );
}

describe('loadConfig', () => {
  it('has working defaults with nothing set', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.statusPath, '/status');
    assert.equal(config.adminPath, '/admin');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.dataDir, path.resolve('data'));
    assert.deepEqual(config.allowedPaths, ['/.well-known/']);
    assert.ok(Object.isFrozen(config));
  });

  it('reads every setting', () => {
    const config = loadConfig({
      UPSTREAM_URL: 'http://app:3000',
      PORT: '9000',
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      STATUS_PATH: '/maintenance',
      ADMIN_PATH: '/ops',
      SUPPORT_EMAIL: 'help@example.com',
      SITE_NAME: 'Shop',
      TRUSTED_PROXIES: 'loopback, 10.0.0.0/8',
      BYPASS_CIDRS: '192.168.0.0/16',
      ALLOWED_PATHS: '/healthz,/static/',
      LOG_LEVEL: 'DEBUG',
      UPSTREAM_TIMEOUT_MS: '5000',
      WORKERS: '2',
    });
    assert.equal(config.upstreamUrl?.href, 'http://app:3000/');
    assert.equal(config.port, 9000);
    assert.equal(config.statusPath, '/maintenance');
    assert.equal(config.logLevel, 'debug');
    assert.deepEqual(config.allowedPaths, ['/healthz', '/static/']);
    assert.equal(config.trustProxy('10.1.1.1', 0), true);
    assert.equal(config.trustProxy('8.8.8.8', 0), false);
    assert.equal(config.workers, 2);
  });

  it('names the variable, the value and what it expects', () => {
    rejects({ PORT: 'eighty' }, 'PORT="eighty"', 'whole number from 0 to 65535');
    rejects({ PORT: '70000' }, 'PORT="70000"');
    rejects({ UPSTREAM_URL: 'app:3000' }, 'UPSTREAM_URL="app:3000"', 'http:// or https://');
    rejects({ UPSTREAM_URL: 'not a url' }, 'UPSTREAM_URL', 'absolute URL');
    rejects({ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'postgres://');
    rejects({ STATUS_PATH: 'status' }, 'STATUS_PATH="status"', 'a path such as /status');
    rejects({ STATUS_PATH: '/status/' }, 'STATUS_PATH');
    rejects({ SUPPORT_EMAIL: 'nobody' }, 'SUPPORT_EMAIL="nobody"', 'email address');
    rejects({ TRUSTED_PROXIES: 'somewhere' }, 'TRUSTED_PROXIES', 'CIDR');
    rejects({ BYPASS_CIDRS: '10.0.0.0/99' }, 'BYPASS_CIDRS="10.0.0.0/99"');
    rejects({ ALLOWED_PATHS: 'healthz' }, 'ALLOWED_PATHS="healthz"', 'start with /');
    rejects({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"', 'one of fatal, error');
    rejects({ UPSTREAM_TIMEOUT_MS: '10' }, 'UPSTREAM_TIMEOUT_MS="10"', 'from 100');
    rejects({ WORKERS: 'many' }, 'WORKERS="many"');
  });

  it('does not print a password from DATABASE_URL in its message', () => {
    rejects({ DATABASE_URL: 'mysql://user:hunter2@db/x' }, 'user:***@');
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' }), (err: Error) => !err.message.includes('hunter2'));
  });

  it('refuses status and admin paths that overlap each other or /_gateway', () => {
    rejects({ STATUS_PATH: '/x', ADMIN_PATH: '/x' }, 'overlap');
    rejects({ STATUS_PATH: '/ops', ADMIN_PATH: '/ops/admin' }, 'overlap');
    rejects({ ADMIN_PATH: '/_gateway' }, 'reserved');
  });
});

describe('requireUpstream', () => {
  it('explains what to set and points to the demo', () => {
    assert.throws(() => requireUpstream(loadConfig({})), /UPSTREAM_URL is not set.*npm run demo/);
  });
});
