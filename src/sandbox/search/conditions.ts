// One filter → a row predicate, with MySQL's semantics under utf8_general_ci.
// Magento: magento/magento2:lib/internal/Magento/Framework/DB/Adapter/Pdo/Mysql.php::prepareSqlCondition
// (condition map; `in` splits a string value on commas; `null`/`notnull` ignore the value;
// an unknown condition key falls through to `field = value`, inferred from the same method);
// magento/magento2:lib/internal/Magento/Framework/Api/SearchCriteria/CollectionProcessor/FilterProcessor.php (missing
// type → eq).

import { collationKey, compareKeys, fold } from "../collation.js";
import { maskedInternalError } from "../errors.js";
import { mysqlNumber, mysqlNumberText } from "../sql-values.js";
import type { Column } from "./columns.js";
import type { Filter } from "./criteria.js";

export type Predicate<Row> = (row: Row) => boolean;

type Cmp = (stored: number) => boolean;

function likeRegex(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === "\\" && i + 1 < pattern.length) {
      re += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else if (ch === "%") re += "[\\s\\S]*";
    else if (ch === "_") re += "[\\s\\S]";
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function textOf<Row>(col: Column<Row>, v: string | number | boolean): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "1" : "0";
  return mysqlNumberText(v, col.kind === "decimal" ? (col.scale ?? 4) : 0);
}

function numOf(v: string | number | boolean): number {
  return typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : mysqlNumber(v);
}

/** Compiles a filter on a known column; `field` was checked by the caller. */
export function compileFilter<Row>(col: Column<Row>, filter: Filter): Predicate<Row> {
  const type = (filter.conditionType ?? "eq").toLowerCase();
  const value = filter.value;
  const isString = col.kind === "string";
  const keyOf =
    col.key ??
    ((row: Row): string => {
      const v = col.get(row);
      return v === null ? "" : collationKey(textOf(col, v));
    });

  const ordered = (cmp: (c: number) => boolean): Predicate<Row> => {
    if (value === null) return () => false;
    if (isString) {
      const k = collationKey(value);
      return (row) => col.get(row) !== null && cmp(compareKeys(keyOf(row), k));
    }
    const n = mysqlNumber(value);
    const test: Cmp = (stored) => cmp(stored < n ? -1 : stored > n ? 1 : 0);
    return (row) => {
      const v = col.get(row);
      return v !== null && test(numOf(v));
    };
  };

  const inList = (negate: boolean): Predicate<Row> => {
    if (value === null) return () => false;
    const parts = value.split(",");
    if (isString) {
      const keys = new Set(parts.map(collationKey));
      return (row) => col.get(row) !== null && keys.has(keyOf(row)) !== negate;
    }
    const nums = new Set(parts.map(mysqlNumber));
    return (row) => {
      const v = col.get(row);
      return v !== null && nums.has(numOf(v)) !== negate;
    };
  };

  const like = (negate: boolean): Predicate<Row> => {
    if (value === null) return () => false;
    const re = likeRegex(fold(value));
    return (row) => {
      const v = col.get(row);
      return v !== null && re.test(fold(textOf(col, v))) !== negate;
    };
  };

  const regexp = (negate: boolean): Predicate<Row> => {
    if (value === null) return () => false;
    let re: RegExp;
    try {
      re = new RegExp(value, "i");
    } catch {
      throw maskedInternalError();
    }
    return (row) => {
      const v = col.get(row);
      return v !== null && re.test(textOf(col, v)) !== negate;
    };
  };

  const findInSet = (negate: boolean): Predicate<Row> => {
    if (value === null) return () => false;
    const needle = fold(value);
    return (row) => {
      const v = col.get(row);
      return v !== null && fold(textOf(col, v)).split(",").includes(needle) !== negate;
    };
  };

  switch (type) {
    case "neq":
      return ordered((c) => c !== 0);
    case "like":
      return like(false);
    case "nlike":
      return like(true);
    case "in":
      return inList(false);
    case "nin":
      return inList(true);
    case "null":
      return (row) => col.get(row) === null;
    case "notnull":
      return (row) => col.get(row) !== null;
    case "gt":
      return ordered((c) => c > 0);
    case "lt":
      return ordered((c) => c < 0);
    case "gteq":
    case "moreq":
    case "from":
      return ordered((c) => c >= 0);
    case "lteq":
    case "to":
      return ordered((c) => c <= 0);
    case "finset":
      return findInSet(false);
    case "nfinset":
      return findInSet(true);
    case "regexp":
      return regexp(false);
    case "nregexp":
      return regexp(true);
    case "seq":
      return value === null ? (row) => col.get(row) === null : ordered((c) => c === 0);
    case "sneq":
      return value === null ? (row) => col.get(row) !== null : ordered((c) => c !== 0);
    default:
      // eq, and any unknown key (prepareSqlCondition falls back to `= value`).
      return ordered((c) => c === 0);
  }
}
