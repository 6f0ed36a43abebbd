// How the jobs ask every site's application (its own upstream, or UPSTREAM_URL) for the health path,
// a bounded number at a time.

import { createUpstreamProbe, type ProbeResult } from '../ops/upstream-probe.js';

/** Asks a site's upstream for the health path; never throws. */
export type SiteProbe = (upstreamUrl: string | null) => Promise<ProbeResult>;

export interface SiteProbeOptions {
  /** UPSTREAM_URL, for sites without their own. */
  fallback: URL;
  /** HEALTHCHECK_PATH, resolved against each upstream as against UPSTREAM_URL. */
  path: string;
  timeoutMs: number;
}

/** One probe per upstream, made on first use and kept: sites come and go rarely. */
export function createSiteProbe({ fallback, path, timeoutMs }: SiteProbeOptions): SiteProbe {
  const probes = new Map<string, () => Promise<ProbeResult>>();
  return function probeSite(upstreamUrl) {
    const key = upstreamUrl ?? '';
    let probe = probes.get(key);
    if (probe === undefined) {
      if (probes.size >= 10_000) probes.clear();
      probe = createUpstreamProbe({ url: new URL(path, upstreamUrl ?? fallback), timeoutMs });
      probes.set(key, probe);
    }
    return probe();
  };
}

/** Runs fn over items, at most `limit` at a time, each as soon as a slot frees: one slow item holds only its slot. */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await fn(item);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
