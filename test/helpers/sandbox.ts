// A sandbox per test file, on a random port, with the environment inv needs to reach it.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { MagentoClient } from "../../src/magento/client.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";

export interface SandboxHandle {
  readonly sandbox: Sandbox;
  readonly env: Record<string, string>;
  client(options?: { pageSize?: number; concurrency?: number }): MagentoClient;
}

/** Starts a sandbox before the file's tests and stops it after. */
export function useSandbox(options: SandboxOptions = {}): () => SandboxHandle {
  let handle: SandboxHandle | undefined;
  beforeAll(async () => {
    handle = await openSandbox(options);
  });
  afterAll(async () => {
    await handle?.sandbox.close();
  });
  return () => {
    if (!handle) throw new Error("sandbox not started");
    return handle;
  };
}

export async function openSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const sandbox = await startSandbox(options);
  return {
    sandbox,
    env: { MAGENTO_URL: sandbox.url, MAGENTO_TOKEN: sandbox.token },
    client: (clientOptions = {}) =>
      new MagentoClient({
        baseUrl: sandbox.url,
        auth: new BearerAuth(sandbox.token),
        retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5000 },
        ...clientOptions,
      }),
  };
}

/** A scratch directory with the given files. */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "inv-test-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
