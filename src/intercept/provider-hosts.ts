/**
 * The hosts a replay-only run refuses outside any cassette (README "A replay-only run never
 * reaches a provider"). `*` stands for any run of host characters, dots included, so
 * `*.openai.azure.com` matches every Azure OpenAI resource and `*-aiplatform.googleapis.com`
 * every Vertex AI region.
 */
export const PROVIDER_HOSTS: readonly string[] = [
  // OpenAI
  'api.openai.com',
  // Anthropic
  'api.anthropic.com',
  // Gemini (Google AI) and Vertex AI
  'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com',
  '*-aiplatform.googleapis.com',
  // Azure OpenAI and Azure AI Foundry
  '*.openai.azure.com',
  '*.cognitiveservices.azure.com',
  '*.services.ai.azure.com',
  // Anthropic and others through AWS Bedrock
  'bedrock-runtime.*.amazonaws.com',
  // OpenAI-compatible APIs commonly reached with the openai SDK
  'api.mistral.ai',
  'api.groq.com',
  'api.deepseek.com',
  'api.x.ai',
  'openrouter.ai',
  'api.together.xyz',
  'api.fireworks.ai',
  'api.cohere.com',
  'api.cohere.ai',
];

/** Whether a host (`host` or `host:port`, any case) is on a list. */
export type HostMatcher = (hostname: string, port: string) => boolean;

/**
 * Compiles a host list once. An entry with a port (`127.0.0.1:8080`) matches that port only; one
 * without matches every port.
 */
export function hostMatcher(entries: readonly string[]): HostMatcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (!entry.includes('*')) {
      exact.add(entry);
      continue;
    }
    const source = entry
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[a-z0-9.-]+');
    patterns.push(new RegExp(`^${source}${entry.includes(':') ? '' : '(?::\\d+)?'}$`));
  }
  if (exact.size === 0 && patterns.length === 0) return () => false;
  // @note every request outside a cassette asks: the answer per host is kept
  const known = new Map<string, boolean>();
  return (hostname, port) => {
    const key = `${hostname}:${port}`;
    let hit = known.get(key);
    if (hit === undefined) {
      // @note `api.openai.com.` (a fully qualified name) reaches the same host
      const name = hostname.toLowerCase().replace(/\.+$/, '');
      const withPort = port === '' ? name : `${name}:${port}`;
      hit = exact.has(withPort) || exact.has(name) || patterns.some((pattern) => pattern.test(withPort));
      if (known.size > 1000) known.clear();
      known.set(key, hit);
    }
    return hit;
  };
}
