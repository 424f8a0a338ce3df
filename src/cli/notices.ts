// Lines on stderr about how inv adapts to the store: said once, silenced by -q.

import type { PlannedCall } from "../plan/calls/call.js";
import { plural } from "../words.js";

/**
 * An array call the store refused as too long ("Maximum items of type ... is %max"), sent
 * again in parts: said, since the apply now makes more requests than the plan showed.
 */
export function rebatchNotice(call: PlannedCall, max: number): string {
  const items = "array" in call ? call.array.items : 0;
  const requests = Math.ceil(items / max);
  return (
    `inv: the store takes at most ${plural(max, "item")} per array call (Magento's input limits); ` +
    `call ${call.id} (${call.description}) goes as ${plural(requests, "request")} of at most ${max}, ` +
    "and later array calls are split the same way."
  );
}
