// What the bench measures and for how long: the matrix, the targets to meet, and the few
// environment variables that tune it, read once.

export const BODIES = [
  { name: '1 KB', path: '/1k', bytes: 1024 },
  { name: '64 KB', path: '/64k', bytes: 64 * 1024 },
] as const;
export type Body = (typeof BODIES)[number];

export const CONNECTIONS = [8, 64] as const;
export const MAINTENANCE_CONNECTIONS = 64;

/** The targets from the issue, checked against the figures and printed next to them. */
export const GOALS = {
  /** Gateway forwarding req/s at least this times bare http-proxy 1.18.1's. */
  minThroughputRatio: 1.0,
  /** Gateway forwarding p99 at most this times bare http-proxy 1.18.1's. */
  maxP99Ratio: 1.1,
  /** "RSS flat": growth after warm-up at most this share of the RSS after warm-up. */
  maxRssGrowth: 0.1,
} as const;

export interface Plan {
  durationS: number;
  warmupS: number;
  memoryRequests: number;
  /** Requests counted as the memory phase's warm-up: caches, JIT and pools settle first. */
  memoryWarmupRequests: number;
  databaseUrl: string | undefined;
  /** Force autocannon even when wrk is installed (to check the fallback). */
  forceAutocannon: boolean;
  /** Which parts to run (BENCH_PARTS, comma-separated); all of PARTS by default. */
  parts: ReadonlySet<Part>;
}

/** The parts of a run, in the order they run; BENCH_PARTS picks some, e.g. while investigating. */
export const PARTS = ['direct', 'http-proxy', 'http-proxy-3', 'gateway', 'gateway-2', 'nginx', 'maintenance', 'memory', 'pollers', 'sites'] as const;
export type Part = (typeof PARTS)[number];

function parts(): ReadonlySet<Part> {
  const raw = process.env.BENCH_PARTS?.trim();
  if (!raw) return new Set(PARTS);
  const picked = raw.split(',').map((part) => part.trim());
  const unknown = picked.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_PARTS=${raw} is invalid: ${unknown.join(', ')} unknown; expected some of ${PARTS.join(', ')}`);
  return new Set(picked as Part[]);
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}=${raw} is invalid: expected a positive whole number`);
  return value;
}

export function readPlan(): Readonly<Plan> {
  const memoryRequests = positiveInteger('BENCH_MEMORY_REQUESTS', 1_000_000);
  return Object.freeze({
    durationS: positiveInteger('BENCH_DURATION', 10),
    warmupS: 2,
    memoryRequests,
    memoryWarmupRequests: Math.min(100_000, Math.round(memoryRequests / 10)),
    databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
    forceAutocannon: process.env.BENCH_LOAD === 'autocannon',
    parts: parts(),
  });
}
