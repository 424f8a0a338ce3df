// The shapes Magento's ServiceInputProcessor converts request data into.

export type ScalarType = "string" | "int" | "float" | "bool";

export type ParamType =
  | { readonly kind: "scalar"; readonly type: ScalarType }
  | { readonly kind: "scalar[]"; readonly type: ScalarType }
  | { readonly kind: "object"; readonly def: DataObjectDef }
  | { readonly kind: "object[]"; readonly def: DataObjectDef };

export interface DataObjectDef {
  /** The PHP interface name as Magento prints it in input-limit messages. */
  readonly phpType: string;
  /** Canonical snake_case field names and their types (getter return types). */
  readonly fields: Readonly<Record<string, ParamType>>;
  readonly isSearchCriteria?: boolean;
  readonly isSortOrder?: boolean;
}

export type Converted = string | number | boolean | null | DataObject | readonly Converted[];

/** A data object built from request data; only fields present in the request are set. */
export class DataObject {
  readonly data = new Map<string, Converted>();

  has(field: string): boolean {
    return this.data.has(field);
  }

  get(field: string): Converted | undefined {
    return this.data.get(field);
  }

  str(field: string): string | null {
    const v = this.data.get(field);
    return typeof v === "string" ? v : null;
  }

  num(field: string): number | null {
    const v = this.data.get(field);
    return typeof v === "number" ? v : null;
  }

  obj(field: string): DataObject | null {
    const v = this.data.get(field);
    return v instanceof DataObject ? v : null;
  }

  list(field: string): readonly DataObject[] | null {
    const v = this.data.get(field);
    return Array.isArray(v)
      ? (v as readonly Converted[]).filter((x): x is DataObject => x instanceof DataObject)
      : null;
  }
}

export interface MethodParam {
  readonly name: string;
  readonly type: ParamType;
  /** Has a PHP default (null): may be omitted. */
  readonly optional?: boolean;
}

export interface InputLimitConfig {
  readonly enabled: boolean;
  readonly arrayLimit: number;
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
}

export const scalar = (type: ScalarType): ParamType => ({ kind: "scalar", type });
export const scalarList = (type: ScalarType): ParamType => ({ kind: "scalar[]", type });
export const object = (def: DataObjectDef): ParamType => ({ kind: "object", def });
export const objectList = (def: DataObjectDef): ParamType => ({ kind: "object[]", def });

export function asObject(v: Converted | undefined): DataObject | null {
  return v instanceof DataObject ? v : null;
}
