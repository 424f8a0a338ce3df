// Credentials never reach output: every line the CLI writes passes through here, with
// every secret the environment and the auth provider hold replaced.

import type { Output } from "./io.js";

const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly secrets = new Set<string>();

  add(...values: readonly (string | undefined)[]): void {
    for (const value of values) {
      if (value && value.length >= MIN_SECRET_LENGTH) {
        this.secrets.add(value);
        // Secrets also travel percent-encoded (OAuth headers, URLs) and JSON-escaped.
        this.secrets.add(encodeURIComponent(value));
        this.secrets.add(JSON.stringify(value).slice(1, -1));
      }
    }
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join("[redacted]");
    }
    return result;
  }

  wrap(output: Output): Output {
    return {
      isTTY: output.isTTY,
      columns: output.columns,
      write: (text: string) => output.write(this.redact(text)),
    };
  }
}
