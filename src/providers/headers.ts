/** Fetch `Headers`, or the plain record @google/genai exposes as `sdkHttpResponse.headers`. */
export type HeadersLike = { get(name: string): string | null } | Readonly<Record<string, string>>;

export function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string>)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}
