// How MySQL stores what Magento writes. Magento opens every connection with SET SQL_MODE=''
// (magento/magento2:lib/internal/Magento/Framework/DB/Adapter/Pdo/Mysql.php::_connect), so over-long
// strings are truncated and out-of-range numbers clamped instead of raising an error.

/** varchar(n): keeps the first n characters. */
export function varchar(value: string, length: number): string {
  const chars = Array.from(value);
  return chars.length <= length ? value : chars.slice(0, length).join("");
}

/** decimal(precision, scale): rounded half away from zero, clamped to the column range. */
export function decimal(value: number, precision: number, scale: number): number {
  const max = Number(`${"9".repeat(precision - scale)}.${"9".repeat(scale)}`);
  const factor = 10 ** scale;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
  if (rounded > max) return max;
  if (rounded < -max) return -max;
  return rounded === 0 ? 0 : rounded;
}

/** Unsigned integer columns (smallint unsigned 65535, int unsigned 4294967295). */
export function unsignedInt(value: number, max: number): number {
  const v = Math.trunc(value);
  return v < 0 ? 0 : Math.min(v, max);
}

export const SMALLINT_UNSIGNED_MAX = 65535;
export const INT_UNSIGNED_MAX = 4294967295;

/** MySQL's string→number cast in comparisons: the longest numeric prefix, else 0. */
export function mysqlNumber(value: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(value);
  return m === null ? 0 : Number(m[0]);
}

/** The text MySQL produces for a stored number (decimal keeps its scale: 100.0000). */
export function mysqlNumberText(value: number, scale: number): string {
  return scale > 0 ? value.toFixed(scale) : String(Math.trunc(value));
}
