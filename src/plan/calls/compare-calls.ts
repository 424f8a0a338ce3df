// A saved plan's calls against the calls its changes imply: the first difference, named by
// call number and field, so an edited plan is refused saying exactly what was edited.

import type { PlannedCall } from "./call.js";

export interface CallDifference {
  /** 1-based, as the plan numbers its calls. */
  readonly call: number;
  /** Where in the call, e.g. `body.sourceItems[0].quantity`; "" for the call as a whole. */
  readonly field: string;
  readonly stored: string;
  readonly derived: string;
}

export function firstCallDifference(
  stored: readonly unknown[],
  derived: readonly PlannedCall[],
): CallDifference | undefined {
  // As the plan document holds them: what JSON drops (an absent body) is absent here too.
  const expected = JSON.parse(JSON.stringify(derived)) as unknown[];
  for (let i = 0; i < Math.max(stored.length, expected.length); i++) {
    if (i >= expected.length)
      return {
        call: i + 1,
        field: "",
        stored: callText(stored[i]),
        derived: `no such call (the changes imply ${expected.length})`,
      };
    if (i >= stored.length) return { call: i + 1, field: "", stored: "no such call", derived: callText(expected[i]) };
    const difference = firstValueDifference(stored[i], expected[i], "");
    if (difference) return { call: i + 1, ...difference };
  }
  return undefined;
}

export function describeCallDifference(difference: CallDifference): string {
  const where = difference.field === "" ? `call ${difference.call}` : `call ${difference.call}, ${difference.field}`;
  return `${where}: the plan has ${difference.stored}, its changes give ${difference.derived}`;
}

/** The first field where two JSON values differ, with both values shortened for a message. */
export function firstValueDifference(
  stored: unknown,
  derived: unknown,
  at: string,
): Omit<CallDifference, "call"> | undefined {
  if (Array.isArray(derived) && Array.isArray(stored)) {
    for (let i = 0; i < Math.max(stored.length, derived.length); i++) {
      const difference = firstValueDifference(stored[i], derived[i], `${at}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (isRecord(derived) && isRecord(stored)) {
    // The derived call's own field order first, then whatever else the stored one has.
    for (const key of new Set([...Object.keys(derived), ...Object.keys(stored)])) {
      const difference = firstValueDifference(stored[key], derived[key], at === "" ? key : `${at}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (Object.is(stored, derived)) return undefined;
  return { field: at, stored: valueText(stored), derived: valueText(derived) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const MAX_SHOWN = 120;

function valueText(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** `DELETE V1/customers/1 ("delete customer")`, or the value itself when it is not call-shaped. */
function callText(call: unknown): string {
  if (!isRecord(call) || typeof call["method"] !== "string" || typeof call["path"] !== "string") return valueText(call);
  const description = typeof call["description"] === "string" ? ` (${JSON.stringify(call["description"])})` : "";
  return `${call["method"]} ${call["path"]}${description}`.slice(0, MAX_SHOWN);
}
