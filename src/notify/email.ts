// Sending e-mail through SMTP with nodemailer, when SMTP_URL is set. Without it there is no
// transport and nothing is sent; that is said once, at debug. A failure is logged and reported as
// false, never thrown: a mail server that is down must not stop the job that sends reminders.

import { createTransport } from 'nodemailer';
import type { Config } from '../config/config.js';
import { redactUrl } from '../config/parse.js';
import type { Logger } from '../log.js';
import type { EmailMessage } from './reminder-email.js';

// Far below nodemailer's defaults (2 and 10 minutes): a reminder that cannot go out soon is late anyway.
const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

export interface Mailer {
  /** False when SMTP_URL is not set. */
  readonly enabled: boolean;
  /** Whether the server accepted the message. */
  send(message: EmailMessage): Promise<boolean>;
}

export interface MailerDeps {
  config: Pick<Config, 'smtpUrl' | 'smtpFrom'>;
  log: Logger;
}

export function createMailer({ config, log }: MailerDeps): Mailer {
  const mailLog = log.child({ module: 'email' });
  if (!config.smtpUrl) {
    let said = false;
    return {
      enabled: false,
      async send() {
        if (!said) mailLog.debug('e-mail is off: SMTP_URL is not set');
        said = true;
        return false;
      },
    };
  }
  const server = redactUrl(config.smtpUrl.href);
  const transport = createTransport(
    { url: config.smtpUrl.href, connectionTimeout: CONNECTION_TIMEOUT_MS, greetingTimeout: CONNECTION_TIMEOUT_MS, socketTimeout: SOCKET_TIMEOUT_MS },
    { from: config.smtpFrom },
  );
  return {
    enabled: true,
    async send(message) {
      try {
        await transport.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
        mailLog.info({ to: message.to, subject: message.subject }, 'e-mail sent');
        return true;
      } catch (err) {
        mailLog.warn({ to: message.to, server, err: (err as Error).message }, 'e-mail not sent');
        return false;
      }
    },
  };
}
