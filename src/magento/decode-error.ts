// Turns Magento's error bodies into readable sentences (docs/magento/webapi-platform.md#errors): the normal
// `{message, parameters, errors}` shape with raw `%1` / `%name` placeholders, the fallback
// `{messages: {error: [...]}}` shape, and the HTML or text pages of gateways in front of PHP.

export interface DecodedError {
  /** Who answered, as far as the body tells: Magento's REST API, an HTML page, or other text. */
  readonly answer: "magento" | "html" | "text";
  /** Magento's message filled in; the page's title or text; "" for an empty body. */
  readonly message: string;
  readonly details: readonly string[];
  /** The raw phrase before substitution, for matching known messages. */
  readonly rawMessage: string;
  readonly parameters: unknown;
}

export function fillPlaceholders(phrase: string, parameters: unknown): string {
  if (Array.isArray(parameters)) {
    return phrase.replace(/%(\d+)/g, (whole, n: string) => {
      const value = parameters[Number(n) - 1];
      return value === undefined ? whole : stringify(value);
    });
  }
  if (parameters && typeof parameters === "object") {
    const map = parameters as Record<string, unknown>;
    // Longest names first, so %fieldName is not read as %field + "Name".
    const names = Object.keys(map).sort((a, b) => b.length - a.length);
    let result = phrase;
    for (const name of names) result = result.split(`%${name}`).join(stringify(map[name]));
    return result;
  }
  return phrase;
}

function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(stringify).join(", ");
  return JSON.stringify(value);
}

export function decodeErrorBody(contentType: string, body: string): DecodedError {
  const trimmed = body.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return decodeJson(JSON.parse(trimmed) as unknown);
    } catch {
      // Falls through to the text form.
    }
  }
  if (isHtml(contentType, trimmed)) {
    const title = truncate(htmlToText(trimmed), 200);
    return { answer: "html", message: title, details: [], rawMessage: title, parameters: undefined };
  }
  const message = truncate(trimmed, 300);
  return { answer: "text", message, details: [], rawMessage: message, parameters: undefined };
}

/** Gateways and proxies often send HTML with no or a wrong content type, so the body counts too. */
export function isHtml(contentType: string, body: string): boolean {
  return /html/i.test(contentType) || /^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(body.trimStart());
}

function decodeJson(json: unknown): DecodedError {
  if (json && typeof json === "object" && !Array.isArray(json)) {
    const body = json as Record<string, unknown>;
    if (typeof body["message"] === "string") {
      const rawMessage = body["message"];
      const errors = Array.isArray(body["errors"]) ? body["errors"] : [];
      const details = errors
        .map((e) => (e && typeof e === "object" ? (e as Record<string, unknown>) : {}))
        .filter((e) => typeof e["message"] === "string")
        .map((e) => fillPlaceholders(e["message"] as string, e["parameters"]));
      return {
        answer: "magento",
        message: fillPlaceholders(rawMessage, body["parameters"]),
        details,
        rawMessage,
        parameters: body["parameters"],
      };
    }
    // ErrorProcessor::renderErrorMessage's fallback envelope.
    const messages = body["messages"] as { error?: { message?: unknown }[] } | undefined;
    const first = messages?.error?.find((m) => typeof m.message === "string");
    if (first) {
      const rawMessage = first.message as string;
      return { answer: "magento", message: rawMessage, details: [], rawMessage, parameters: undefined };
    }
  }
  const message = `an answer in neither of Magento's error formats: ${truncate(JSON.stringify(json), 200)}`;
  return { answer: "text", message, details: [], rawMessage: message, parameters: undefined };
}

function htmlToText(html: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  if (title) return title;
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
