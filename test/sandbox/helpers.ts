// Raw-HTTP helpers for the conformance suite: no client code from src/ is used, only fetch.

import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
  readonly headers: Headers;
}

export async function call(
  sb: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = {
    method,
    headers: {
      Authorization: `Bearer ${sb.token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
  };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await fetch(`${sb.url}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

export function start(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox(options);
}

/** The searchCriteria query string for simple cases. */
export function criteria(
  groups: readonly (readonly { field: string; value: string; condition_type?: string }[])[],
  extra: Record<string, string> = {},
): string {
  const parts: string[] = [];
  for (const [gi, g] of groups.entries()) {
    for (const [fi, f] of g.entries()) {
      const base = `searchCriteria[filter_groups][${gi}][filters][${fi}]`;
      parts.push(`${base}[field]=${encodeURIComponent(f.field)}`);
      parts.push(`${base}[value]=${encodeURIComponent(f.value)}`);
      if (f.condition_type !== undefined) parts.push(`${base}[condition_type]=${f.condition_type}`);
    }
  }
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${encodeURIComponent(v)}`);
  return parts.join("&");
}

export const NE_SOURCES = [
  "ne_wh",
  "brooklyn",
  "huntington",
  "manhattan",
  "west_wh",
  "berkeley",
  "sausalito",
  "hq",
  "central",
  "east",
  "south",
];

/** Creates sources by code with minimal valid fields (name, country_id, postcode). */
export async function createSources(sb: Sandbox, codes: readonly string[]): Promise<void> {
  for (const code of codes) {
    const r = await call(sb, "POST", "/rest/V1/inventory/sources", {
      source: { source_code: code, name: `Source ${code}`, country_id: "US", postcode: "12345", enabled: true },
    });
    if (r.status !== 200) throw new Error(`create source ${code}: ${r.text}`);
  }
}
