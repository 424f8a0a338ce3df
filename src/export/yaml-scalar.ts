// YAML scalars written so that inv's parser (YAML 1.2 core schema) reads back exactly the
// value written: plain where that is unambiguous, double-quoted otherwise. Safe inside flow
// collections (`{ a: 1 }`, `[a, b]`) too, so one writer serves every position.

/** Characters a plain scalar may hold here: no flow indicators (`,[]{}`), no `:`, `#` or `"`. */
const PLAIN = /^[A-Za-z0-9_./()][A-Za-z0-9 _./()+\-@&'!%*=?~^$;<>|\\]*$/;
/** YAML 1.2 core numbers and keywords (and YAML 1.1's yes/no/on/off, for other readers). */
const NOT_TEXT = [
  /^[-+]?[0-9][0-9_]*$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^(?:~|null|true|false|yes|no|on|off|y|n)$/i,
];

export function yamlString(value: string, options: { readonly quote?: boolean } = {}): string {
  const plain = !options.quote && PLAIN.test(value) && !value.endsWith(" ") && !NOT_TEXT.some((re) => re.test(value));
  return plain ? value : doubleQuoted(value);
}

/** JSON's escapes are YAML's; YAML also wants DEL and the C1 controls escaped. */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u0084\u0086-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function yamlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`inv: cannot write ${value} as a quantity or coordinate`);
  return Object.is(value, -0) ? "0" : String(value);
}

export function yamlValue(value: string | number | boolean | null, options: { readonly quote?: boolean } = {}): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return yamlNumber(value);
  return yamlString(value, options);
}
