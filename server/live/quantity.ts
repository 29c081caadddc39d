/** Kubernetes resource quantities ("180m", "450Mi", "471859200", "262144k", "1e3") for messages. */

const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** The quantity as a number (cores for CPU, bytes for memory); undefined when it is not a quantity. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return undefined;
  const base = parseFloat(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1);
  return base * SUFFIX[m[3] ?? ''];
}

/** CPU as kubectl shows it: 0.18 → "180m", 2 → "2". */
export function formatCpu(cores: number): string {
  if (Number.isInteger(cores)) return String(cores);
  return `${Math.round(cores * 1000)}m`;
}

/** Memory in binary units: 471859200 → "450Mi", 1073741824 → "1Gi", 500000000 → "476.8Mi". */
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) {
    if (bytes >= size) {
      const v = bytes / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`;
    }
  }
  return String(Math.round(bytes));
}

export function formatResource(resource: string, q: unknown): string {
  const v = parseQuantity(q);
  if (v === undefined) return String(q ?? '—');
  return resource === 'cpu' ? formatCpu(v) : resource === 'memory' ? formatMemory(v) : String(q);
}
