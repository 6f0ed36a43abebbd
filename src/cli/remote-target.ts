// The commands' work done through a remote gateway's automation API. Inputs arrive parsed by the
// command, as for the database; they go out as the API's JSON, and the answers are checked
// against the API's own schemas before anything is printed. With --site every call goes below
// /sites/<slug>; without it, to the unprefixed paths (the token's site, or the default one).

import { z } from 'zod';
import { createdLinkJsonSchema } from '../admin/bypass-links/json.js';
import { warningSchema, windowJsonSchema } from '../admin/windows/json.js';
import { GatewayError } from '../errors.js';
import { bypassUrl } from '../maintenance/bypass-links.js';
import { formatDuration } from '../maintenance/input.js';
import type { WindowDetails } from '../maintenance/windows.js';
import type { MaintenanceWindow } from '../snapshot/types.js';
import type { ApiClient } from './api-client.js';
import type { Target, WindowDone } from './target.js';

const windowResult = z.object({ window: windowJsonSchema, warnings: z.array(warningSchema) });
const windowList = z.object({ windows: z.array(windowJsonSchema) });
const endedList = z.object({ ended: z.array(windowJsonSchema) });

type WindowJson = z.infer<typeof windowJsonSchema>;

function windowOf(json: WindowJson): MaintenanceWindow {
  const time = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  return {
    id: json.id,
    title: json.title,
    message: json.message,
    startsAt: Date.parse(json.starts_at),
    endsAt: time(json.ends_at),
    endedAt: time(json.ended_at),
    mode: json.mode,
    response: json.response,
    pathPrefixes: json.paths,
    hosts: json.hosts,
    componentIds: json.component_ids,
    lifecycle: json.lifecycle,
    verifyUpstream: json.verify_upstream,
  };
}

function detailsJson(input: WindowDetails) {
  return { title: input.title, message: input.message, mode: input.mode, response: input.response, paths: input.pathPrefixes, hosts: input.hosts };
}

export function createRemoteTarget(api: ApiClient, site?: string): Target {
  const at = (path: string) => (site === undefined ? path : `/sites/${encodeURIComponent(site)}${path}`);
  /** The answer, checked: a gateway of another version may answer differently, and half-read output would mislead. */
  async function expect<S extends z.ZodType>(schema: S, what: string, answer: Promise<unknown>): Promise<z.output<S>> {
    const result = schema.safeParse(await answer);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new GatewayError(
      'GW_ERR_UNEXPECTED_ANSWER',
      502,
      `the answer from ${api.apiUrl} to ${what} is not one of the Intermission API${at}: check --url and --admin-path, and that the gateway runs this CLI's version`,
    );
  }

  function done({ window, warnings }: z.infer<typeof windowResult>): WindowDone {
    return { window: windowOf(window), warnings: warnings.map((warning) => warning.message) };
  }

  async function upcoming(): Promise<MaintenanceWindow[]> {
    const { windows } = await expect(windowList, `GET ${at('/windows')}`, api.get(at('/windows')));
    return windows.filter((window) => window.state === 'upcoming').map(windowOf);
  }

  return {
    async startMaintenance(input) {
      const end = input.end === null ? {} : 'afterMs' in input.end ? { duration: formatDuration(input.end.afterMs) } : { ends_at: input.end.at.toISOString() };
      return done(await expect(windowResult, `POST ${at('/windows/start')}`, api.post(at('/windows/start'), { ...detailsJson(input), ...end })));
    },

    async endMaintenance() {
      const { ended } = await expect(endedList, `POST ${at('/maintenance/end')}`, api.post(at('/maintenance/end'), {}));
      return { ended: ended.map(windowOf), upcoming: await upcoming() };
    },

    async scheduleMaintenance(input) {
      const body = { ...detailsJson(input), starts_at: input.startsAt.toISOString(), duration: formatDuration(input.durationMs) };
      return done(await expect(windowResult, `POST ${at('/windows')}`, api.post(at('/windows'), body)));
    },

    async status() {
      const now = Date.now();
      const { windows } = await expect(windowList, `GET ${at('/windows')}`, api.get(at('/windows')));
      return {
        now,
        inForce: windows.filter((window) => window.state === 'in_force').map(windowOf),
        upcoming: windows.filter((window) => window.state === 'upcoming').map(windowOf),
      };
    },

    async createBypassLink(input, linkBase) {
      const body = { note: input.note, duration: formatDuration(input.durationMs), paths: input.pathPrefixes };
      const link = await expect(createdLinkJsonSchema, `POST ${at('/bypass-links')}`, api.post(at('/bypass-links'), body));
      // The gateway knows its public address (PUBLIC_URL) best; --base-url, when given, wins.
      const token = URL.canParse(link.url) ? new URL(link.url).searchParams.get('token') : null;
      return { id: link.id, expiresAt: Date.parse(link.expires_at), url: linkBase && token ? bypassUrl(linkBase, token) : link.url };
    },
  };
}
