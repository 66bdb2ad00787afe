import { MIN_SECRET_LENGTH } from './rules.js';

/**
 * The forms a secret value takes where it may be echoed: as it is, inside a JSON string (also
 * with non-ASCII escaped, as Python's json.dumps does by default), percent-encoded in a URL and
 * form-encoded in a body. Each form is searched for literally. Values shorter than
 * MIN_SECRET_LENGTH have none: scrubbing them would eat ordinary words.
 */
export function formsOf(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([value]);
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  forms.add(asciiJson(json));
  try {
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  } catch {
    // a lone surrogate cannot be percent-encoded: it can only travel as it is
  }
  return [...forms];
}

function asciiJson(json: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "everything above ASCII"
  return json.replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
