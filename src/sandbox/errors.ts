// Magento's REST error envelope and the exception → status mapping.
// Magento: magento/magento2:lib/internal/Magento/Framework/Webapi/ErrorProcessor.php (maskException),
// magento/magento2:lib/internal/Magento/Framework/Webapi/Rest/Response.php (_renderMessages).

import { randomBytes } from "node:crypto";

export type PhraseParameters =
  | Readonly<Record<string, string | number | readonly string[]>>
  | readonly (string | number)[];

/** A phrase as Magento keeps it: raw text with `%name` / `%1` placeholders plus their values. */
export interface Phrase {
  readonly text: string;
  readonly parameters: PhraseParameters;
}

export function phrase(text: string, parameters: PhraseParameters = []): Phrase {
  return { text, parameters };
}

/** Substitutes placeholders like Magento's Phrase::render (named `%field`, positional `%1`). */
export function renderPhrase(p: Phrase): string {
  const params = p.parameters;
  if (Array.isArray(params)) {
    return p.text.replace(/%(\d+)/g, (m, n: string) => {
      const v = (params as readonly (string | number)[])[Number(n) - 1];
      return v === undefined ? m : String(v);
    });
  }
  const named = params as Readonly<Record<string, string | number | readonly string[]>>;
  return p.text.replace(/%([A-Za-z_][A-Za-z0-9_]*)/g, (m, n: string) => {
    const v = named[n];
    return v === undefined ? m : String(v);
  });
}

function hasParameters(p: PhraseParameters): boolean {
  return Array.isArray(p) ? p.length > 0 : Object.keys(p).length > 0;
}

/** Any error the sandbox answers with; `body()` is exactly what Magento renders. */
export class WebapiError extends Error {
  constructor(
    readonly status: number,
    readonly phrase: Phrase,
    readonly errors: readonly Phrase[] = [],
  ) {
    super(renderPhrase(phrase));
  }

  body(): Record<string, unknown> {
    const out: Record<string, unknown> = { message: this.phrase.text };
    // Magento: parameters only when the exception carried some (Rest/Response::_renderMessages).
    if (hasParameters(this.phrase.parameters)) out["parameters"] = this.phrase.parameters;
    if (this.errors.length > 0) {
      out["errors"] = this.errors.map((e) => ({ message: e.text, parameters: e.parameters }));
    }
    return out;
  }
}

/** LocalizedException family (InputException, ValidationException, CouldNotSave...) → 400. */
export function badRequest(
  text: string,
  parameters: PhraseParameters = [],
  errors: readonly Phrase[] = [],
): WebapiError {
  return new WebapiError(400, phrase(text, parameters), errors);
}

/** NoSuchEntityException → 404. */
export function notFound(text: string, parameters: PhraseParameters = []): WebapiError {
  return new WebapiError(404, phrase(text, parameters));
}

/** AuthenticationException / AuthorizationException → 401. */
export function unauthorized(text: string, parameters: PhraseParameters = []): WebapiError {
  return new WebapiError(401, phrase(text, parameters));
}

/**
 * InputException with added errors: one error becomes the message itself, two or more give
 * the generic text with every error listed.
 * Magento: magento/magento2:lib/internal/Magento/Framework/Exception/AbstractAggregateException.php
 */
export function inputErrors(list: readonly Phrase[]): WebapiError {
  const [first] = list;
  if (first === undefined) return badRequest("One or more input exceptions have occurred.");
  if (list.length === 1) return new WebapiError(400, first);
  return new WebapiError(400, phrase("One or more input exceptions have occurred."), list);
}

/** Framework-thrown Webapi\Exception whose text is already rendered (no parameters). */
export function renderedBadRequest(text: string): WebapiError {
  return new WebapiError(400, phrase(text));
}

/**
 * Any non-Localized exception in production mode: 500 with the message masked and a report id.
 * Magento: magento/magento2:lib/internal/Magento/Framework/Webapi/ErrorProcessor.php::maskException +
 * INTERNAL_SERVER_ERROR_MSG, report id uniqid('webapi-').
 */
export function maskedInternalError(): WebapiError {
  const reportId = `webapi-${randomBytes(7).toString("hex").slice(0, 13)}`;
  return new WebapiError(
    500,
    phrase(`Internal Error. Details are available in Magento log file. Report ID: ${reportId}`),
  );
}

/** Magento: magento/magento2:app/code/Magento/Webapi/Controller/Rest/Router.php */
export function routeNotFound(): WebapiError {
  return notFound("Request does not match any route.");
}
