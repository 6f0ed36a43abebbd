// What people type about maintenance, parsed or refused with a message that names the field.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import {
  formatDuration,
  MAX_BYPASS_LINK_MS,
  parseBaseUrl,
  parseDuration,
  parseFutureTime,
  parseHostList,
  parseIsoTime,
  parseMessage,
  parsePathList,
  parseTitle,
} from '../../src/maintenance/input.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-22T12:00:00Z');

function refuses(fn: () => unknown, pattern: RegExp, field: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${String(err)}`);
    assert.equal(err.field, field);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and combinations', () => {
    assert.equal(parseDuration('30s', '--for'), 30_000);
    assert.equal(parseDuration('30m', '--for'), 30 * MINUTE);
    assert.equal(parseDuration('2h', '--for'), 2 * HOUR);
    assert.equal(parseDuration('1h30m', '--for'), 90 * MINUTE);
    assert.equal(parseDuration('1d', '--for'), DAY);
    assert.equal(parseDuration('1d2h3m4s', '--for'), DAY + 2 * HOUR + 3 * MINUTE + 4000);
    assert.equal(parseDuration(' 2H ', '--for'), 2 * HOUR);
  });

  it('refuses garbage with an example of what works', () => {
    for (const raw of ['abc', '', '30', '1.5h', '-1h', '30m1h', '1 h', 'h', '1w', '1h 30m']) {
      refuses(() => parseDuration(raw, '--for'), /^--for ".*" is not a duration: use e\.g\. 30m, 2h or 1h30m$/, '--for');
    }
  });

  it('refuses zero and anything past the maximum', () => {
    refuses(() => parseDuration('0m', '--for'), /is zero/, '--for');
    refuses(() => parseDuration('0h0m', '--for'), /is zero/, '--for');
    assert.equal(parseDuration('365d', '--for'), 365 * DAY);
    refuses(() => parseDuration('366d', '--for'), /too long: at most 365d/, '--for');
    refuses(() => parseDuration('31d', '--for', MAX_BYPASS_LINK_MS), /too long: at most 30d/, '--for');
    refuses(() => parseDuration('9999999h', '--for'), /not a duration/, '--for');
  });

  it('formats durations the way it reads them', () => {
    for (const text of ['30s', '30m', '2h', '1h30m', '1d', '1d2h3m4s']) assert.equal(formatDuration(parseDuration(text, 'x')), text);
  });
});

describe('parseIsoTime', () => {
  it('reads Z and offsets, with or without seconds and fractions', () => {
    assert.equal(parseIsoTime('2026-11-22T14:00:00Z', '--at').toISOString(), '2026-11-22T14:00:00.000Z');
    assert.equal(parseIsoTime('2026-11-22T14:00Z', '--at').toISOString(), '2026-11-22T14:00:00.000Z');
    assert.equal(parseIsoTime('2026-11-22T15:00:00+01:00', '--at').toISOString(), '2026-11-22T14:00:00.000Z');
    assert.equal(parseIsoTime('2026-11-22T09:30:00-0430', '--at').toISOString(), '2026-11-22T14:00:00.000Z');
    assert.equal(parseIsoTime('2026-11-22T14:00:00.123456Z', '--at').toISOString(), '2026-11-22T14:00:00.123Z');
    assert.equal(parseIsoTime('2026-11-22t14:00:00z', '--at').toISOString(), '2026-11-22T14:00:00.000Z');
  });

  it('refuses a local time without an offset as ambiguous', () => {
    refuses(() => parseIsoTime('2026-11-22T14:00:00', '--at'), /has no UTC offset, so it is ambiguous: add Z or an offset/, '--at');
    refuses(() => parseIsoTime('2026-11-22T14:00', '--until'), /ambiguous/, '--until');
  });

  it('refuses what is not an ISO 8601 date and time', () => {
    for (const raw of ['tomorrow', '2026-11-22', '2026-11-22 14:00:00Z', '22/11/2026 14:00Z', '2026-11-22T14Z', '1700000000000', '']) {
      refuses(() => parseIsoTime(raw, '--at'), /is not an ISO 8601 time: use e\.g\./, '--at');
    }
  });

  it('refuses dates and times that do not exist', () => {
    for (const raw of ['2026-02-30T10:00:00Z', '2026-13-01T10:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22T10:60:00Z', '2026-11-22T10:00:60Z', '2026-11-22T10:00:00+24:00']) {
      refuses(() => parseIsoTime(raw, '--at'), /is not a valid date and time/, '--at');
    }
    assert.equal(parseIsoTime('2028-02-29T00:00:00Z', '--at').toISOString(), '2028-02-29T00:00:00.000Z');
  });
});

describe('parseFutureTime', () => {
  it('accepts a time after now and refuses now or earlier', () => {
    assert.equal(parseFutureTime('2026-11-22T12:00:01Z', '--at', NOW).getTime(), NOW + 1000);
    refuses(() => parseFutureTime('2026-11-22T12:00:00Z', '--at', NOW), /is in the past: give a time after 2026-11-22T12:00:00\.000Z/, '--at');
    refuses(() => parseFutureTime('2026-11-22T13:00:00+02:00', '--at', NOW), /in the past/, '--at');
  });

  it('refuses a time further ahead than allowed', () => {
    refuses(() => parseFutureTime('2026-11-23T12:00:01Z', '--until', NOW, DAY), /too far ahead: at most 1d from now/, '--until');
    assert.equal(parseFutureTime('2026-11-23T12:00:00Z', '--until', NOW, DAY).getTime(), NOW + DAY);
  });
});

describe('lists', () => {
  it('reads path prefixes, trimmed and without duplicates', () => {
    assert.deepEqual(parsePathList(' /api, /checkout ,/api', '--paths'), ['/api', '/checkout']);
    assert.deepEqual(parsePathList('/', '--paths'), ['/']);
  });

  it('refuses paths that do not start with / or hold spaces, queries or fragments', () => {
    for (const raw of ['api', '/a,b', '/a b', '/a?x=1', '/a#top', 'https://x/a']) {
      refuses(() => parsePathList(raw, '--paths'), /--paths has ".*": each path must start with \//, '--paths');
    }
  });

  it('refuses an empty list and one that is too long', () => {
    refuses(() => parsePathList(' , ', '--paths'), /--paths is empty/, '--paths');
    refuses(() => parsePathList(Array.from({ length: 101 }, (_, i) => `/p${i}`).join(','), '--paths'), /101 entries: at most 100/, '--paths');
  });

  it('reads host names in lower case', () => {
    assert.deepEqual(parseHostList('Shop.Example.com, api.example.com,shop.example.com', '--hosts'), ['shop.example.com', 'api.example.com']);
    assert.deepEqual(parseHostList('localhost', '--hosts'), ['localhost']);
  });

  it('refuses what is not a host name', () => {
    for (const raw of ['shop.example.com:8080', 'https://shop.example.com', 'a_b.example.com', '-a.example.com', 'a..b', `${'a'.repeat(64)}.com`, '*.example.com']) {
      refuses(() => parseHostList(raw, '--hosts'), /each entry must be a host name/, '--hosts');
    }
  });
});

describe('texts', () => {
  it('keeps a title to one line of at most 200 characters', () => {
    assert.equal(parseTitle('  Database upgrade ', '--title'), 'Database upgrade');
    assert.equal(parseTitle('é'.repeat(200), '--title'), 'é'.repeat(200));
    refuses(() => parseTitle('   ', '--title'), /--title is empty/, '--title');
    refuses(() => parseTitle('a'.repeat(201), '--title'), /201 characters long: at most 200/, '--title');
    refuses(() => parseTitle('two\nlines', '--title'), /one line/, '--title');
  });

  it('counts characters as PostgreSQL does, not UTF-16 units', () => {
    assert.equal(parseTitle('🔧'.repeat(200), '--title'), '🔧'.repeat(200));
  });

  it('allows a message of up to 5000 characters with newlines', () => {
    assert.equal(parseMessage('Back soon.\nThanks.', '--message'), 'Back soon.\nThanks.');
    assert.equal(parseMessage('', '--message'), '');
    assert.equal(parseMessage('x'.repeat(5000), '--message').length, 5000);
    refuses(() => parseMessage('x'.repeat(5001), '--message'), /5001 characters long: at most 5000/, '--message');
    refuses(() => parseMessage('bell\u0007', '--message'), /control characters/, '--message');
    refuses(() => parseMessage('x'.repeat(201), '--note', 200), /at most 200/, '--note');
  });
});

describe('parseBaseUrl', () => {
  it('accepts http and https addresses, with a path', () => {
    assert.equal(parseBaseUrl('https://shop.example.com/app', '--base-url').href, 'https://shop.example.com/app');
  });

  it('refuses other schemes, queries and non-URLs', () => {
    for (const raw of ['shop.example.com', 'ftp://shop.example.com', 'https://shop.example.com/?a=1', 'https://x/#f', '']) {
      refuses(() => parseBaseUrl(raw, '--base-url'), /--base-url ".*" is not an http:\/\/ or https:\/\/ URL/, '--base-url');
    }
  });
});
