// Kubernetes quantities as numbers (CPU in millicores, memory and storage in bytes), and back as clean, rounded-up values.

const FACTORS: Readonly<Record<string, number>> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const GI = 2 ** 30;

/** `500m` → 0.5, `10Gi` → 10737418240: the forms the settings' `quantity` field accepts. */
function baseValue(q: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)([a-zA-Z]{0,2})$/.exec(q);
  const factor = match ? FACTORS[match[2] ?? ''] : undefined;
  if (!match || factor === undefined) throw new Error(`"${q}" is not a Kubernetes quantity such as 500m, 2 or 10Gi`);
  return Number(match[1]) * factor;
}

/** CPU in millicores, an integer so sums stay exact. */
export function millicores(q: string): number {
  return Math.round(baseValue(q) * 1000);
}

export function bytes(q: string): number {
  return Math.ceil(baseValue(q));
}

/** Millicores rounded up to whole cores: 15580 → `16`. */
export function wholeCores(m: number): string {
  return String(Math.ceil(m / 1000));
}

/** Bytes rounded up to whole gibibytes: 1.2 GiB → `2Gi`. */
export function wholeGi(b: number): string {
  return `${Math.ceil(b / GI)}Gi`;
}
