// PHP's parse_str, which turns `searchCriteria[filter_groups][0][filters][0][field]=sku`
// into nested arrays before Magento's input processor sees it.

export type PhpValue = string | PhpArray;
export interface PhpArray {
  [key: string]: PhpValue;
}

export function newPhpArray(): PhpArray {
  return Object.create(null) as PhpArray;
}

function urldecode(s: string): string {
  const plus = s.replace(/\+/g, " ");
  try {
    return decodeURIComponent(plus);
  } catch {
    // PHP leaves malformed escapes as they are; decode the valid ones one by one.
    return plus.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

function nextIndex(arr: PhpArray): string {
  let max = -1;
  for (const k of Object.keys(arr)) {
    if (/^(0|-?[1-9]\d*)$/.test(k)) max = Math.max(max, Number(k));
  }
  return String(max + 1);
}

/** Parses a raw query string (without `?`) the way PHP fills $_GET. */
export function parsePhpQuery(query: string): PhpArray {
  const out = newPhpArray();
  if (query === "") return out;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = urldecode(eq < 0 ? pair : pair.slice(0, eq)).replace(/^ +/, "");
    const value = eq < 0 ? "" : urldecode(pair.slice(eq + 1));
    const open = rawKey.indexOf("[");
    const segments: (string | null)[] = [];
    let base = open < 0 ? rawKey : rawKey.slice(0, open);
    if (open >= 0) {
      let rest = rawKey.slice(open);
      while (rest.startsWith("[")) {
        const close = rest.indexOf("]");
        if (close < 0) break;
        const inner = rest.slice(1, close);
        segments.push(inner === "" ? null : inner);
        rest = rest.slice(close + 1);
      }
    }
    // PHP turns spaces and dots in the variable name into underscores.
    base = base.replace(/[ .]/g, "_");
    if (base === "") continue;
    if (segments.length === 0) {
      out[base] = value;
      continue;
    }
    let cur = out;
    let key = base;
    for (const seg of segments) {
      const existing = cur[key];
      const next: PhpArray = typeof existing === "object" ? existing : newPhpArray();
      cur[key] = next;
      cur = next;
      key = seg === null ? nextIndex(cur) : seg;
    }
    cur[key] = value;
  }
  return out;
}

/**
 * The raw `key=value` pairs of a query string, decoded with rawurldecode and without
 * PHP's nesting, as Magento's OAuth helper reads them for the signature base string.
 * Magento: magento/magento2:lib/internal/Magento/Framework/Oauth/Helper/Request.php (_extractQueryParams)
 */
export function rawQueryPairs(query: string): Map<string, string> {
  const out = new Map<string, string>();
  if (query === "") return out;
  const raw = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    out.set(raw(eq < 0 ? pair : pair.slice(0, eq)), raw(eq < 0 ? "" : pair.slice(eq + 1)));
  }
  return out;
}
