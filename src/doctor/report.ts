// What `inv doctor` found: one check per line, each with what to do when it is not ok. A
// plain value: the text and JSON renderings read it, the CLI maps `ok` to the exit code.

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  /** Stable: `rest-api`, `msi-routes`, `credentials`, `two-factor`, `acl:<resource>`, `page-size`, `array-size`. */
  readonly id: string;
  /** What is checked, as the line shows it. */
  readonly title: string;
  /** `warn`: inv works, with a check of its own skipped; `skip`: could not be checked (see `detail`). */
  readonly status: CheckStatus;
  /** What was found, in a sentence. */
  readonly detail: string;
  /** What to do about it; absent when there is nothing to do. */
  readonly fix?: string;
}

export interface DoctorReport {
  readonly format_version: 1;
  /** The store as inv names it: base URL without credentials, and the REST store code. */
  readonly store: { readonly url: string; readonly store_code: string };
  readonly credentials: { readonly kind: "bearer" | "admin" | "oauth"; readonly description: string };
  /** Everything inv plan and inv apply need is there: no check failed. */
  readonly ok: boolean;
  readonly checks: readonly DoctorCheck[];
}
