export function median(values) {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]). */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summary(values) {
  return {
    n: values.length,
    min: Math.min(...values),
    p50: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    p99: quantile(values, 0.99),
    max: Math.max(...values),
  };
}

export const round = (x, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** In a child: send the result to the orchestrator and leave. */
export function reply(result) {
  process.send(result, () => process.exit(0));
}

/** In a child: the JSON argument the orchestrator passed. */
export function input() {
  return JSON.parse(process.argv[2] ?? '{}');
}

/** Runs `fn` in a child's top level, reporting an error instead of a silent exit. */
export async function main(fn) {
  try {
    reply(await fn(input()));
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) }, () => process.exit(1));
  }
}
