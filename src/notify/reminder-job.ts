// The `reminders` job: every 15 seconds, mark the windows whose reminder is due (the trigger writes
// window.reminder, which webhooks deliver), then e-mail the subscribed people about the windows this
// run marked, each to the people of its own site. Marking is a conditional update, so a reminder
// goes out once across every gateway.

import { writeAs } from '../audit/write-as.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import type { Mailer } from './email.js';
import { listReminderRecipients } from './reminder-recipients.js';
import { reminderEmail } from './reminder-email.js';
import { claimDueReminders, type RemindedWindow } from './reminders.js';
import { siteLabels, siteLinks, type SiteLabel } from './site-labels.js';
import { payloadLinks } from './webhook-delivery.js';

export interface ReminderJobDeps {
  config: Pick<Config, 'publicUrl' | 'statusPath' | 'adminPath' | 'siteName'>;
  pool: Pool;
  mailer: Mailer;
  log: Logger;
}

export function createReminderJob({ config, pool, mailer, log }: ReminderJobDeps): Job {
  const links = payloadLinks(config);

  async function emailSite(siteId: string, windows: RemindedWindow[], labels: ReadonlyMap<string, SiteLabel>): Promise<number> {
    const site = labels.get(siteId);
    // Removed since its windows were marked: nobody is left to tell.
    if (site === undefined) return 0;
    const recipients = await listReminderRecipients(pool, siteId);
    const emailLinks = { adminUrl: siteLinks(links, site).adminUrl, siteName: site.name };
    const sent = await Promise.all(windows.flatMap((window) => recipients.map((recipient) => mailer.send(reminderEmail(window, recipient, emailLinks)))));
    return sent.filter(Boolean).length;
  }

  async function email(windows: RemindedWindow[]): Promise<number> {
    if (!mailer.enabled) return 0;
    const bySite = new Map<string, RemindedWindow[]>();
    for (const window of windows) bySite.set(window.siteId, [...(bySite.get(window.siteId) ?? []), window]);
    const labels = await siteLabels(pool, config.siteName, [...bySite.keys()]);
    const sent = await Promise.all([...bySite].map(([siteId, siteWindows]) => emailSite(siteId, siteWindows, labels)));
    return sent.reduce((sum, count) => sum + count, 0);
  }

  return {
    name: 'reminders',
    schedule: '*/15 * * * * *',
    async run() {
      const windows = await writeAs(pool, 'system', 'window.remind', claimDueReminders, 'marking reminders');
      if (windows.length === 0) return;
      log.info({ windows: windows.map((w) => w.id) }, 'reminders due');
      try {
        const sent = await email(windows);
        if (sent > 0) log.info({ sent }, 'reminder e-mails sent');
      } catch (err) {
        // The reminder itself (the event) is recorded; only the e-mails are lost, and that is said.
        log.error({ err: (err as Error).message }, 'reminder e-mails not sent');
      }
    },
  };
}
