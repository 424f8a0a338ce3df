// Guards checked before any call is sent: consent to destroy, blast-radius limits from flags
// and from the file (exit 6, naming what was refused), Magento's default source and stock
// rules (exit 3), and the `quantities:` policies that decide which quantities are written.

import { describe, expect, it } from "vitest";
import { apply } from "../../src/pipeline.js";
import type { SandboxStats } from "../../src/sandbox/index.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";
import { runInv } from "../helpers/run-cli.js";

function writes(stats: SandboxStats): number {
  return Object.entries(stats.byRoute)
    .filter(([route]) => /^(POST|PUT|DELETE) /.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** 24-WB01 and 24-WB03 hold 100 at `default` in a fresh sandbox; this moves them to ne_wh. */
function fileMovingOffDefault(extra = ""): string {
  return `version: 1
${extra}sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
products:
  24-WB01: { ne_wh: 30 }
  24-WB03: { ne_wh: 20 }
`;
}

describe("consent and limits (exit 6, nothing sent)", () => {
  it("unassigning quantity needs --allow-destroy even with --yes, and names each refused change", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": fileMovingOffDefault() });
      const result = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(6);
      expect(result.stderr).toContain("2 destructive changes without consent");
      expect(result.stderr).toContain("source item 24-WB01 @ default: unassigns 100 units");
      expect(result.stderr).toContain("source item 24-WB03 @ default: unassigns 100 units");
      expect(writes(sandbox.stats)).toBe(0);
      const consented = await runInv(["apply", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(consented.code).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("the file's policy consents as --allow-destroy does", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": fileMovingOffDefault("policy: { allow_destroy: true }\n") });
      expect((await runInv(["apply", "--yes"], { env, cwd: dir })).code).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("unassigning an item that holds nothing is not destructive", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      sandbox.store.setSourceItem("24-WB01", "default", 0, 0);
      const file = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
products:
  24-WB01: { ne_wh: 30 }
`;
      expect((await runInv(["apply", "--yes"], { env, cwd: workspace({ "inventory.yaml": file }) })).code).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("--max-unassign refuses a plan that unassigns more, even with consent", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": fileMovingOffDefault() });
      const result = await runInv(["apply", "--yes", "--allow-destroy", "--max-unassign", "1"], { env, cwd: dir });
      expect(result.code).toBe(6);
      expect(result.stderr).toContain("2 source items to unassign, above the limit of 1");
      expect(result.stderr).toContain("source item 24-WB01 @ default: over the unassign limit (1)");
      expect(writes(sandbox.stats)).toBe(0);
      expect((await runInv(["apply", "--yes", "--allow-destroy", "--max-unassign", "2"], { env, cwd: dir })).code).toBe(
        0,
      );
    } finally {
      await sandbox.close();
    }
  });

  it("the file's max_unassign holds even when the flag is looser", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": fileMovingOffDefault("policy: { allow_destroy: true, max_unassign: 1 }\n"),
      });
      const result = await runInv(["apply", "--yes", "--max-unassign", "10"], { env, cwd: dir });
      expect(result.code).toBe(6);
      expect(result.stderr).toContain("above the limit of 1");
      expect(writes(sandbox.stats)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("--max-units-removed counts lowered quantities as well as unassigned ones", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      // Lowering 100 -> 40 and 100 -> 70 removes 90 units from `default`, unassigning nothing.
      const dir = workspace({
        "inventory.yaml": "version: 1\nproducts:\n  24-WB01: { default: 40 }\n  24-WB03: { default: 70 }\n",
      });
      const result = await runInv(["apply", "--yes", "--max-units-removed", "89"], { env, cwd: dir });
      expect(result.code).toBe(6);
      expect(result.stderr).toContain("90 units removed, above the limit of 89");
      expect(result.stderr).toContain("source default: removes 90 units (limit 89 in all)");
      expect(writes(sandbox.stats)).toBe(0);
      expect((await runInv(["apply", "--yes", "--max-units-removed", "90"], { env, cwd: dir })).code).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("a file limit of max_units_removed refuses too", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": "version: 1\npolicy: { max_units_removed: 5 }\nproducts:\n  24-WB01: { default: 90 }\n",
      });
      const result = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(6);
      expect(writes(sandbox.stats)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("a saved plan is held to the same consent and limits", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": fileMovingOffDefault() });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const noConsent = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(noConsent.code).toBe(6);
      const overLimit = await runInv(["apply", "plan.json", "--yes", "--allow-destroy", "--max-units-removed", "10"], {
        env,
        cwd: dir,
      });
      expect(overLimit.code).toBe(6);
      expect(writes(sandbox.stats)).toBe(0);
      expect((await runInv(["apply", "plan.json", "--yes", "--allow-destroy"], { env, cwd: dir })).code).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe("Magento's default source and Default Stock rules, before any call", () => {
  const cases: readonly (readonly [string, string, string])[] = [
    [
      "disabling the default source",
      "version: 1\nsources:\n  default: { name: Default Source, country_id: US, postcode: '00000', enabled: false }\n",
      "cannot be disabled",
    ],
    [
      "making the default source a pickup location",
      "version: 1\nsources:\n  default: { name: Default Source, country_id: US, " +
        "postcode: '00000', is_pickup_location_active: true, city: X, street: Y }\n",
      "cannot be a pickup location",
    ],
    [
      "linking default to another stock",
      "version: 1\nstocks:\n  US Stock: { sources: [default] }\n",
      'links source "default", which Magento links only to the Default Stock',
    ],
    [
      "linking default together with another source",
      "version: 1\nsources:\n  ne_wh: { name: NE, country_id: US, " +
        "postcode: '1' }\nstocks:\n  US Stock: { sources: [default, ne_wh] }\n",
      'links source "default" together with other sources',
    ],
    [
      "linking another source to the Default Stock",
      "version: 1\nsources:\n  ne_wh: { name: NE, country_id: US, " +
        "postcode: '1' }\nstocks:\n  Default Stock: { sources: [default, ne_wh] }\n",
      "Can not save link related to Default Source or Default Stock",
    ],
    [
      "unlinking default from the Default Stock",
      "version: 1\nsources:\n  ne_wh: { name: NE, country_id: US, " +
        "postcode: '1' }\nstocks:\n  default stock: { sources: [ne_wh] }\n",
      "is the Default Stock",
    ],
  ];

  it.each(cases)("refuses %s with exit 3 and sends no write", async (_name, file, message) => {
    const { sandbox, env } = await openSandbox();
    try {
      const result = await runInv(["apply", "--yes", "--allow-destroy"], {
        env,
        cwd: workspace({ "inventory.yaml": file }),
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("Nothing was written to the store.");
      expect(writes(sandbox.stats)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe("quantities: manage | on_create | ignore", () => {
  /** 24-WB01 holds 100 at default; ne_wh is new. */
  async function applied(file: string) {
    const { sandbox, client } = await openSandbox();
    try {
      await apply({
        file: "inventory.yaml",
        cwd: workspace({
          "inventory.yaml": `version: 1\nsources:\n  ne_wh: { name: NE, country_id: US, postcode: "1" }\n${file}`,
        }),
        client: client(),
        git: null,
      });
      const items = sandbox.store.snapshot().source_items.filter((i) => i.sku === "24-WB01" || i.sku === "24-WB03");
      return Object.fromEntries(items.map((i) => [`${i.sku}@${i.source_code}`, `${i.quantity}/${i.status}`]));
    } finally {
      await sandbox.close();
    }
  }

  it("manage (the default) writes every quantity the file gives", async () => {
    expect(await applied("products:\n  24-WB01: { default: 7, ne_wh: 5 }\n")).toMatchObject({
      "24-WB01@default": "7/1",
      "24-WB01@ne_wh": "5/1",
    });
  });

  it("on_create writes a quantity only when the source is first assigned", async () => {
    expect(await applied("quantities: on_create\nproducts:\n  24-WB01: { default: 7, ne_wh: 5 }\n")).toMatchObject({
      "24-WB01@default": "100/1",
      "24-WB01@ne_wh": "5/1",
    });
  });

  it("ignore never writes a quantity: new assignments get 0, out of stock", async () => {
    expect(await applied("quantities: ignore\nproducts:\n  24-WB01: { default: 7, ne_wh: 5 }\n")).toMatchObject({
      "24-WB01@default": "100/1",
      "24-WB01@ne_wh": "0/0",
    });
  });

  it("a product's own policy wins over the file's", async () => {
    const result = await applied(
      "quantities: ignore\nproducts:\n  24-WB01: { sources: { default: 7, " +
        "ne_wh: 5 }, quantities: manage }\n  24-WB03: { default: 9, ne_wh: 4 }\n",
    );
    expect(result).toMatchObject({
      "24-WB01@default": "7/1",
      "24-WB01@ne_wh": "5/1",
      "24-WB03@default": "100/1",
      "24-WB03@ne_wh": "0/0",
    });
  });

  it("the list form manages the assignment only, whatever the policy", async () => {
    expect(await applied("products:\n  24-WB01: [default, ne_wh]\n")).toMatchObject({
      "24-WB01@default": "100/1",
      "24-WB01@ne_wh": "0/0",
    });
  });
});
