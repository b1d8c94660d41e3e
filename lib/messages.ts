// How messages show a value a user gave: as JSON, cut to a readable length, so a runaway value (a 50 MB
// setting) never floods the terminal.

/** `value` as JSON, cut to `max` characters with its length said: `"aaaa… (50000002 characters)`. */
export function shown(value: unknown, max = 80): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > max + 2 ? `${json.slice(0, max)}… (${json.length} characters)` : json;
}
