// The example file's `# yaml-language-server: $schema=...` modeline works in editors: the
// real yaml-language-server (the engine of VS Code's YAML extension), spoken to over LSP
// JSON-RPC on stdio, finds schemas/inventory.schema.json through the modeline, reports no
// problem in inventory.example.yaml and reports the problem in a broken copy.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SERVER = join(ROOT, "node_modules/yaml-language-server/bin/yaml-language-server");
const EXAMPLE = join(ROOT, "inventory.example.yaml");
const SCHEMA_URI = pathToFileURL(join(ROOT, "schemas/inventory.schema.json")).href;
const WAIT_MS = 30_000;

interface Diagnostic {
  readonly message: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number } };
}

interface Message {
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
}

/** A minimal LSP client: Content-Length framing, requests with ids, and answers to the server's own requests. */
class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly diagnostics = new Map<string, ((diagnostics: Diagnostic[]) => void)[]>();
  stderr = "";

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    child.stderr.on("data", (chunk: Buffer) => void (this.stderr += chunk.toString("utf8")));
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return withTimeout(
      new Promise<T>((resolve, reject) => {
        this.pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result as T)));
        this.send({ jsonrpc: "2.0", id, method, params });
      }),
      `${method} answered`,
    );
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** The next diagnostics the server publishes for `uri`. */
  nextDiagnostics(uri: string): Promise<Diagnostic[]> {
    return withTimeout(
      new Promise<Diagnostic[]>((resolve) => {
        const waiting = this.diagnostics.get(uri) ?? [];
        waiting.push(resolve);
        this.diagnostics.set(uri, waiting);
      }),
      `diagnostics for ${uri}`,
    );
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(
        this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8"),
      ) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(message);
    }
  }

  private handle(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      this.send({ jsonrpc: "2.0", id: message.id, result: answerServerRequest(message) });
    } else if (message.method === "textDocument/publishDiagnostics") {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.get(uri)?.shift()?.(diagnostics);
    } else if (typeof message.id === "number") {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    }
  }
}

/** Settings as an editor would send them; the schema store is off, so nothing is fetched from the network. */
function answerServerRequest(message: Message): unknown {
  if (message.method !== "workspace/configuration") return null;
  const items = (message.params as { items: { section?: string }[] }).items;
  return items.map((item) =>
    item.section === "yaml"
      ? { validate: true, hover: true, completion: true, schemaStore: { enable: false, url: "" } }
      : {},
  );
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`yaml-language-server: no ${what} within ${WAIT_MS / 1000} s`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let child: ChildProcessWithoutNullStreams;
let lsp: LspClient;

beforeAll(async () => {
  child = spawn(process.execPath, [SERVER, "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  lsp = new LspClient(child);
  await lsp.request("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(ROOT).href,
    workspaceFolders: [{ uri: pathToFileURL(ROOT).href, name: "inv" }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
  });
  lsp.notify("initialized", {});
}, 60_000);

afterAll(async () => {
  try {
    if (child.exitCode === null) {
      await lsp.request("shutdown", null).catch(() => undefined);
      lsp.notify("exit", null);
    }
  } finally {
    child.kill("SIGKILL");
  }
});

function open(path: string, text: string): Promise<Diagnostic[]> {
  const uri = pathToFileURL(path).href;
  const diagnostics = lsp.nextDiagnostics(uri);
  lsp.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
  return diagnostics;
}

describe("yaml-language-server and the schema modeline", () => {
  it("the schema names itself with an absolute $id", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas/inventory.schema.json"), "utf8")) as { $id?: string };
    expect(schema.$id).toMatch(/^https:\/\/\S+\/inventory\.schema\.json$/);
  });

  it("finds schemas/inventory.schema.json through the example's modeline and reports no problem", async () => {
    const text = readFileSync(EXAMPLE, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./schemas/inventory.schema.json");
    const diagnostics = await open(EXAMPLE, text);
    expect(diagnostics).toEqual([]);
    const schemas = await lsp.request<{ uri: string }[]>("yaml/get/jsonSchema", pathToFileURL(EXAMPLE).href);
    expect(schemas.map((s) => s.uri)).toEqual([SCHEMA_URI]);
  }, 60_000);

  it("reports the problem in a broken copy, at its line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "inv-lsp-"));
    const lines = readFileSync(EXAMPLE, "utf8").split("\n");
    lines[0] = `# yaml-language-server: $schema=${SCHEMA_URI}`;
    const broken = lines.findIndex((l) => l.trim() === 'postcode: "07306"');
    expect(broken).toBeGreaterThan(0);
    lines[broken] = lines[broken]!.replace('"07306"', "07306");
    const path = join(dir, "inventory.yaml");
    writeFileSync(path, lines.join("\n"));
    const diagnostics = await open(path, lines.join("\n"));
    expect(diagnostics.length, lsp.stderr).toBeGreaterThanOrEqual(1);
    expect(diagnostics.map((d) => d.range.start.line)).toContain(broken);
    expect(diagnostics.find((d) => d.range.start.line === broken)?.message).toMatch(/string/i);
  }, 60_000);

  it("reports an unknown field as the schema forbids it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "inv-lsp-"));
    const text =
      `# yaml-language-server: $schema=${SCHEMA_URI}\nversion: 1\nsources:\n  ` +
      'hq:\n    name: HQ\n    country_id: US\n    postcode: "78701"\n    nmae: typo\n';
    const diagnostics = await open(join(dir, "typo.yaml"), text);
    expect(diagnostics.map((d) => d.range.start.line)).toContain(7);
  }, 60_000);
});
