// The one pino logger the composition root builds; modules get children of it.

import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Secrets never reach the log, whatever object a caller passes in.
      redact: {
        paths: [
          'password',
          'token',
          'secret',
          'databaseUrl',
          '*.password',
          '*.token',
          '*.secret',
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-intermission-bypass"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
