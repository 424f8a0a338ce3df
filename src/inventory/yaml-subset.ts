// A reader for the YAML that inventory files are written in: block mappings and lists,
// flow collections on one line, plain and quoted scalars on one line, comments. It reads
// in one pass, in time and memory proportional to the file, and gives the same values as
// the `yaml` package (YAML 1.2, core schema), which takes minutes and gigabytes for the
// 100,000-product files `inv export` writes. Anything outside that subset (anchors, tags,
// block scalars, text over several lines, ...) is handed back as "unsupported", with where
// and what, so the caller can use the full parser instead. test/inventory/yaml-subset.test.ts
// compares both readers on generated and damaged files.

/** Where an item of a list stands, as offsets into the text. */
export interface EntryPosition {
  readonly keyAt: number;
  readonly valueAt: number;
  /** The value's own positions; undefined for scalars. */
  readonly child: PositionNode | undefined;
}

/** Where a mapping's entries stand: parallel arrays, since products' mapping has 100,000 entries. */
export class MapPositions {
  readonly kind = "map";
  /**
   * Keys as positions are looked up, in the order written (repeats included): the key as
   * JavaScript reads it, except "null" for a null key (yaml's originOf compares String(value)).
   */
  readonly keys: string[] = [];
  readonly keyAts: number[] = [];
  readonly valueAts: number[] = [];
  readonly children: (PositionNode | undefined)[] = [];
  private index: Map<string, number> | undefined;

  constructor(readonly at: number) {}

  push(key: string, keyAt: number, valueAt: number, child: PositionNode | undefined): void {
    if (this.index && !this.index.has(key)) this.index.set(key, this.keys.length);
    this.keys.push(key);
    this.keyAts.push(keyAt);
    this.valueAts.push(valueAt);
    this.children.push(child);
  }

  /** The first entry with this key, or -1. */
  indexOf(key: string): number {
    if (!this.index) {
      const index = new Map<string, number>();
      this.keys.forEach((k, i) => {
        if (!index.has(k)) index.set(k, i);
      });
      this.index = index;
    }
    return this.index.get(key) ?? -1;
  }
}

export interface SeqPositions {
  readonly kind: "seq";
  readonly at: number;
  readonly items: EntryPosition[];
}

/** A collection below the recorded depth: read again with a deeper recordDepth to see inside it. */
export interface UnrecordedPositions {
  readonly kind: "unrecorded";
}

export type PositionNode = MapPositions | SeqPositions | UnrecordedPositions;

const UNRECORDED: UnrecordedPositions = Object.freeze({ kind: "unrecorded" });

export type KeyProblem =
  | {
      readonly kind: "duplicate-key";
      readonly at: number;
      /** Where the mapping has the key first; undefined below the recorded depth. */
      readonly firstAt: number | undefined;
      readonly key: string;
    }
  | { readonly kind: "ambiguous-key"; readonly at: number; readonly written: string; readonly value: unknown }
  /** A plain `<<` key: YAML 1.1's merge key, which YAML 1.2 (and inv) reads as a plain key. */
  | { readonly kind: "merge-key"; readonly at: number };

export type SubsetReading =
  | {
      readonly kind: "read";
      readonly value: unknown;
      readonly positions: PositionNode | undefined;
      readonly keyProblems: readonly KeyProblem[];
    }
  | { readonly kind: "unsupported"; readonly at: number; readonly reason: string }
  /** Within the subset, but more collections than inv holds in memory for one file. */
  | { readonly kind: "too-many-nodes"; readonly at: number; readonly limit: number };

export interface SubsetOptions {
  /** Positions are kept for collections down to this depth (0 is the document's mapping). */
  readonly recordDepth: number;
  /**
   * Keep positions only along this path (keys and list indexes from the node read), and
   * build no values: for looking up one position below the recorded depth.
   */
  readonly focus?: readonly (string | number)[];
  /** At most this many mappings and lists: about 100 bytes each once read. */
  readonly maxCollections: number;
}

/** Duplicate keys beyond this many are not listed (the file has to be fixed either way). */
const MAX_KEY_PROBLEMS = 200;
const MAX_DEPTH = 100;
const MAX_INTERNED = 10_000;
const MAX_INTERNED_LENGTH = 32;
/** The `yaml` package refuses implicit keys longer than this. */
const MAX_KEY_LENGTH = 1024;

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const HASH = 35;
const QUOTE = 34;
const APOSTROPHE = 39;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const BACKSLASH = 92;

class Unsupported {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {}
}

class TooManyNodes {
  constructor(readonly at: number) {}
}

export function readYamlSubset(text: string, options: SubsetOptions): SubsetReading {
  const reader = new SubsetReader(text, options);
  try {
    const value = reader.document();
    return { kind: "read", value, positions: reader.lastNode, keyProblems: reader.keyProblems };
  } catch (error) {
    if (error instanceof Unsupported) return { kind: "unsupported", at: error.at, reason: error.reason };
    if (error instanceof TooManyNodes) return { kind: "too-many-nodes", at: error.at, limit: options.maxCollections };
    throw error;
  }
}

/**
 * Positions inside the collection at `at` (an offset the first read recorded), along
 * `focus` only and without building values: memory stays small even for a huge list.
 */
export function readYamlSubtree(
  text: string,
  at: number,
  focus: readonly (string | number)[],
): PositionNode | undefined {
  return new SubsetReader(text, { recordDepth: 0, maxCollections: Number.POSITIVE_INFINITY, focus }).subtree(at);
}

/** What starts a plain scalar cannot be one of these (YAML's c-indicator), with what it would be instead. */
function indicatorReason(code: number): string | undefined {
  switch (code) {
    case 38: // &
      return "an anchor (&)";
    case 42: // *
      return "an alias (*)";
    case 33: // !
      return "a tag (!)";
    case 124: // |
    case 62: // >
      return "a block scalar (| or >)";
    case 37: // %
      return "a directive (%)";
    case 64: // @
    case 96: // `
      return "a reserved character (@ or `) at the start of a value";
    case COMMA:
    case OPEN_BRACKET:
    case CLOSE_BRACKET:
    case OPEN_BRACE:
    case CLOSE_BRACE:
      return "a flow indicator (, [ ] { }) where a value was expected";
    case HASH:
      return "a comment where a value was expected";
    case TAB:
      return "a tab where a value was expected";
    default:
      return undefined;
  }
}

/** Control characters the YAML spec excludes (the full parser takes some of them; fall back to it). */
function isOddCharacter(code: number): boolean {
  return (code < SPACE && code !== TAB) || (code >= 0x7f && code <= 0x9f) || code === 0xfeff;
}

const DOUBLE_QUOTED_ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  "\t": "\t",
};

const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** A plain scalar's value in YAML 1.2's core schema, tested in the `yaml` package's order. */
export function resolvePlain(raw: string): unknown {
  const c = raw.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46) {
    // Most values are short decimal integers: read them without a regular expression.
    const sign = c === 43 || c === DASH ? 1 : 0;
    let value = 0;
    let i = sign;
    for (; i < raw.length; i++) {
      const digit = raw.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === raw.length && i > sign && i - sign <= 15) return c === DASH ? -value : value;
    if (INT_OCT.test(raw)) return Number.parseInt(raw.substring(2), 8);
    if (INT.test(raw)) return Number.parseInt(raw, 10);
    if (INT_HEX.test(raw)) return Number.parseInt(raw.substring(2), 16);
    if (FLOAT_NAN.test(raw)) {
      if (raw.slice(-3).toLowerCase() === "nan") return Number.NaN;
      return raw[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (FLOAT_EXP.test(raw) || FLOAT.test(raw)) return Number.parseFloat(raw);
    return raw;
  }
  if (c === 126 || c === 110 || c === 78) return NULL.test(raw) ? null : raw;
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL.test(raw) ? c === 116 || c === 84 : raw;
  return raw;
}

/** Mappings with more keys than this are built key by key. */
const MAX_SHAPE_KEYS = 32;
/** Shapes kept per file; files with ever new key sequences build the rest key by key. */
const MAX_SHAPES = 20_000;
/** A shape builds with a generated object literal from its this many-th use. */
const LITERAL_AFTER_USES = 4;

/**
 * The keys of a mapping so far, in order. Mappings with the same keys (every product's
 * sources) share a shape, and from a few uses on it builds them with a generated object
 * literal: V8 makes those ten times faster than objects that get their keys one by one.
 */
class Shape {
  readonly next = new Map<string, Shape>();
  /** The transition taken last from here: the next mapping's key is compared with it in the text. */
  recent: Shape | undefined;
  build: ((values: readonly unknown[]) => Record<string, unknown>) | undefined;
  uses = 0;
  constructor(
    readonly key: string,
    /** The key as written, when it is plain text that reads as itself; undefined otherwise. */
    readonly written: string | undefined,
    readonly parent: Shape | undefined,
    readonly size: number,
    /** The key is already on the way here: a repeated key. */
    readonly repeated: boolean,
    /** No repeated key and none that Object.prototype has (`__proto__` in a literal sets the prototype). */
    readonly literalSafe: boolean,
  ) {}

  keys(): string[] {
    const keys: string[] = new Array(this.size);
    for (let shape: Shape | undefined = this; shape?.parent; shape = shape.parent) keys[shape.size - 1] = shape.key;
    return keys;
  }
}

class Shapes {
  readonly root = new Shape("", undefined, undefined, 0, false, true);
  private count = 0;

  /** The shape after `key`, or undefined when the mapping is to be built key by key. */
  step(shape: Shape, key: string, written: string | undefined): Shape | undefined {
    const known = shape.next.get(key);
    if (known) {
      shape.recent = known;
      return known;
    }
    if (shape.size >= MAX_SHAPE_KEYS || this.count >= MAX_SHAPES) return undefined;
    this.count++;
    let repeated = false;
    for (let on: Shape | undefined = shape; on?.parent; on = on.parent) if (on.key === key) repeated = true;
    const next = new Shape(
      key,
      written,
      shape,
      shape.size + 1,
      repeated,
      shape.literalSafe && !repeated && !(key in Object.prototype),
    );
    shape.next.set(key, next);
    shape.recent = next;
    return next;
  }

  build(shape: Shape, values: readonly unknown[]): Record<string, unknown> {
    if (shape.build) return shape.build(values);
    if (shape.literalSafe && ++shape.uses >= LITERAL_AFTER_USES) {
      // The keys go in as JSON string literals, so no key can be anything but a key.
      const entries = shape.keys().map((key, i) => `${JSON.stringify(key)}: v[${i}]`);
      shape.build = new Function("v", `return { ${entries.join(", ")} };`) as Shape["build"];
      return this.build(shape, values);
    }
    const object: Record<string, unknown> = {};
    const keys = shape.keys();
    for (let i = 0; i < keys.length; i++) addEntry(object, keys[i] ?? "", values[i]);
    return object;
  }
}

/** As yaml's addPairToJSMap: keys that Object.prototype has become own properties; a repeated key's last value wins. */
function addEntry(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key in object)
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** One mapping being read; one builder per depth, reused. */
class MappingBuilder {
  shape: Shape | undefined;
  private readonly values: unknown[] = [];
  /** Where each key so far stands, for a repeated key's first position. */
  private readonly keyAts: number[] = [];
  private object: Record<string, unknown> | undefined;
  /** First positions by key once the mapping is built key by key (and its positions are not recorded). */
  private firstAts: Map<string, number> | undefined;
  private trackFirst = false;

  constructor(
    private readonly shapes: Shapes,
    private readonly buildValues: boolean,
  ) {}

  reset(trackFirst: boolean): void {
    this.shape = this.shapes.root;
    this.values.length = 0;
    this.keyAts.length = 0;
    this.object = undefined;
    this.firstAts = undefined;
    this.trackFirst = trackFirst;
  }

  /** Adds an entry (`next`: the shape after it, when the caller found it); returns whether the key repeats. */
  add(key: string, written: string | undefined, value: unknown, next: Shape | undefined, keyAt: number): boolean {
    if (!this.buildValues) return false;
    if (this.shape) {
      const shape = next ?? this.shapes.step(this.shape, key, written);
      if (shape) {
        this.shape = shape;
        this.values.push(value);
        this.keyAts.push(keyAt);
        return shape.repeated;
      }
      if (this.trackFirst) {
        const firstAts = new Map<string, number>();
        this.shape.keys().forEach((k, i) => {
          if (!firstAts.has(k)) firstAts.set(k, this.keyAts[i] ?? 0);
        });
        this.firstAts = firstAts;
      }
      this.object = this.shapes.build(this.shape, this.values);
      this.shape = undefined;
    }
    const object = this.object ?? {};
    this.object = object;
    // Large mappings (products) end up here: one lookup on the object where the answer is not known.
    const repeated = Object.hasOwn(object, key);
    if (repeated || key in Object.prototype)
      Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
    else object[key] = value;
    if (!repeated) this.firstAts?.set(key, keyAt);
    return repeated;
  }

  /** Where a repeated key stands first; undefined when the mapping's positions are recorded instead. */
  firstKeyAt(key: string): number | undefined {
    if (this.firstAts) return this.firstAts.get(key);
    if (!this.shape || !this.trackFirst) return undefined;
    let first: number | undefined;
    for (let on: Shape | undefined = this.shape; on?.parent; on = on.parent)
      if (on.key === key) first = this.keyAts[on.size - 1];
    return first;
  }

  finish(): Record<string, unknown> {
    if (!this.buildValues) return EMPTY;
    if (this.shape) return this.shapes.build(this.shape, this.values);
    return this.object ?? {};
  }
}

/** The value of every mapping when no values are built. */
const EMPTY: Record<string, unknown> = Object.freeze({});

type PlainEnd = "eol" | "comment" | "colon" | "flow";

/** Bit set: the character can go on in a plain scalar without a closer look, in block or in flow context. */
const PLAIN_IN_BLOCK = 1;
const PLAIN_IN_FLOW = 2;
const CHARACTER_CLASS = (() => {
  const classes = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    if (c === LF || c === CR || c === SPACE || c === COLON || c === TAB || isOddCharacter(c)) continue;
    classes[c] = isFlowIndicator(c) ? PLAIN_IN_BLOCK : PLAIN_IN_BLOCK | PLAIN_IN_FLOW;
  }
  return classes;
})();

class SubsetReader {
  readonly keyProblems: KeyProblem[] = [];
  /** Positions of the collection read last (set by every collection reader). */
  lastNode: PositionNode | undefined;
  /** Where the reader is after an inline value. */
  private pos = 0;
  /** The next content line, found by nextContentLine: its indentation and first character. */
  private eof = false;
  private indent = 0;
  private at = 0;
  /** Set by scanPlain. */
  private plainEnd: PlainEnd = "eol";
  private collections = 0;
  private readonly n: number;
  private readonly shapes = new Shapes();
  private readonly buildValues: boolean;
  private readonly interned = new Map<string, string>();
  private readonly builders: MappingBuilder[] = [];
  /** The first null key (~, null) of a recorded mapping, by entry. */
  private readonly nullKeys = new Map<MapPositions, number>();

  constructor(
    private readonly text: string,
    private readonly options: SubsetOptions,
  ) {
    this.n = text.length;
    this.buildValues = options.focus === undefined;
  }

  document(): unknown {
    const text = this.text;
    let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.nextContentLine(start);
    if (!this.eof && this.indent === 0 && this.isDocumentMarker(this.at, "---")) {
      // One leading `---` (a comment may follow); content on the same line is left to the full parser.
      start = this.endOfLine(this.at + 3, true);
      this.nextContentLine(start);
    }
    if (this.eof) {
      this.lastNode = undefined;
      return null;
    }
    const c = text.charCodeAt(this.at);
    let value: unknown;
    if (c === OPEN_BRACE) {
      value = this.flowMap(this.at, 0, true);
      const node = this.lastNode;
      this.nextContentLine(this.endOfLine(this.pos, true));
      this.lastNode = node;
    } else if (this.isSeqDash(this.at) || c === OPEN_BRACKET) {
      throw new Unsupported(this.at, "a list where the file's mapping was expected");
    } else {
      value = this.blockMap(this.indent, this.at, 0, true);
    }
    if (!this.eof) {
      if (this.isDocumentMarker(this.at, "---") || this.isDocumentMarker(this.at, "..."))
        throw new Unsupported(this.at, "a document marker (--- or ...)");
      throw new Unsupported(this.at, "a line indented less than the mapping it belongs to");
    }
    return value;
  }

  // -------------------------------------------------------------------------
  // Lines

  /** From a line start, skips blank and comment lines; sets eof, or indent and at of the next content line. */
  private nextContentLine(from: number): void {
    const text = this.text;
    const n = this.n;
    let p = from;
    for (;;) {
      let q = p;
      while (q < n && text.charCodeAt(q) === SPACE) q++;
      if (q >= n) {
        this.eof = true;
        return;
      }
      const c = text.charCodeAt(q);
      if (c === LF) {
        p = q + 1;
        continue;
      }
      if (c === CR && text.charCodeAt(q + 1) === LF) {
        p = q + 2;
        continue;
      }
      if (c === HASH) {
        const end = text.indexOf("\n", q);
        if (end < 0) {
          this.eof = true;
          return;
        }
        p = end + 1;
        continue;
      }
      if (c === TAB) throw new Unsupported(q, "a tab in the indentation");
      this.eof = false;
      this.indent = q - p;
      this.at = q;
      return;
    }
  }

  /** After a value: spaces, an optional comment, the line break. Returns the next line's start. */
  private endOfLine(from: number, spaceBefore: boolean): number {
    const text = this.text;
    let p = from;
    while (text.charCodeAt(p) === SPACE) p++;
    if (p >= this.n) return this.n;
    const c = text.charCodeAt(p);
    if (c === LF) return p + 1;
    if (c === CR && text.charCodeAt(p + 1) === LF) return p + 2;
    if (c === HASH && (p > from || spaceBefore)) {
      const end = text.indexOf("\n", p);
      return end < 0 ? this.n : end + 1;
    }
    if (c === TAB) throw new Unsupported(p, "a tab after a value");
    throw new Unsupported(p, "more text after a complete value on the same line");
  }

  private isSeqDash(p: number): boolean {
    if (this.text.charCodeAt(p) !== DASH) return false;
    const next = this.text.charCodeAt(p + 1);
    return next === SPACE || next === LF || next === CR || p + 1 >= this.n;
  }

  private isDocumentMarker(p: number, marker: string): boolean {
    if (!this.text.startsWith(marker, p)) return false;
    const next = this.text.charCodeAt(p + 3);
    return p + 3 >= this.n || next === SPACE || next === LF || next === CR || next === TAB;
  }

  private columnOf(p: number): number {
    return p - (this.text.lastIndexOf("\n", p - 1) + 1);
  }

  private countCollection(at: number, depth: number): void {
    if (++this.collections > this.options.maxCollections) throw new TooManyNodes(at);
    if (depth > MAX_DEPTH) throw new Unsupported(at, `collections nested more than ${MAX_DEPTH} deep`);
  }

  // -------------------------------------------------------------------------
  // Block collections

  /** A block mapping whose first key is at `start`, in column `indent`. */
  private blockMap(indent: number, start: number, depth: number, record: boolean): Record<string, unknown> {
    this.countCollection(start, depth);
    const text = this.text;
    const builder = this.builder(depth, record);
    const node: MapPositions | undefined = record ? new MapPositions(start) : undefined;
    let keyAt = start;
    for (;;) {
      const afterColon = this.blockKey(keyAt, builder);
      const key = this.key;
      const written = this.keyWritten;
      const keyShape = this.keyShape;
      const positionKey = this.positionKey ?? key;
      let q = afterColon;
      while (text.charCodeAt(q) === SPACE) q++;
      const c = text.charCodeAt(q);
      let valueAt = q;
      let value: unknown = null;
      let child: PositionNode | undefined;
      if (q >= this.n || c === LF || c === CR || (c === HASH && q > afterColon)) {
        this.nextContentLine(this.endOfLine(q, q > afterColon));
        if (!this.eof && this.indent > indent) {
          valueAt = this.at;
          value = this.blockNode(this.indent, this.at, depth + 1, this.childRecord(record, depth, positionKey));
          child = this.lastNode;
        } else if (!this.eof && this.indent === indent && this.isSeqDash(this.at)) {
          valueAt = this.at;
          value = this.blockSeq(indent, this.at, depth + 1, this.childRecord(record, depth, positionKey));
          child = this.lastNode;
        }
      } else {
        value = this.inlineValue(q, depth + 1, false, this.childRecord(record, depth, positionKey));
        child = this.lastNode;
        this.nextContentLine(this.endOfLine(this.pos, false));
      }
      this.setEntry(depth, builder, node, key, positionKey, written, keyShape, keyAt, value, valueAt, child);
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent) throw new Unsupported(this.at, "a line indented more than the key before it");
      if (this.isSeqDash(this.at)) throw new Unsupported(this.at, "a list item where a key was expected");
      if (indent === 0 && (this.isDocumentMarker(this.at, "---") || this.isDocumentMarker(this.at, "...")))
        throw new Unsupported(this.at, "a document marker (--- or ...)");
      keyAt = this.at;
    }
    this.lastNode = node ?? UNRECORDED;
    return builder.finish();
  }

  private builder(depth: number, record: boolean): MappingBuilder {
    let builder = this.builders[depth];
    if (!builder) {
      builder = new MappingBuilder(this.shapes, this.buildValues);
      this.builders[depth] = builder;
    }
    // A recorded mapping finds a repeated key's first position in its positions.
    builder.reset(!record);
    return builder;
  }

  /**
   * Whether a recorded collection at `depth` keeps the position of its entry `segment`: all
   * of them, except along a focus, where only the entry on the path is kept (a list on the
   * path may have millions of items) and the mapping at its end keeps all its keys.
   */
  private keepsEntry(depth: number, segment: string | number): boolean {
    const focus = this.options.focus;
    if (!focus) return true;
    if (depth >= focus.length) return typeof segment === "string";
    const wanted = focus[depth];
    return typeof segment === "number" ? wanted === segment : String(wanted) === segment;
  }

  /** Whether the value at `segment` of a collection at `depth` keeps positions. */
  private childRecord(record: boolean, depth: number, segment: string | number): boolean {
    const focus = this.options.focus;
    if (!focus) return depth + 1 <= this.options.recordDepth;
    if (!record || depth >= focus.length) return false;
    const wanted = focus[depth];
    return typeof segment === "number" ? wanted === segment : String(wanted) === segment;
  }

  /**
   * One string for each short text value seen before (`out_of_stock`, a source code in a
   * list): a list of a million equal values then holds one string, not a million.
   */
  private intern(value: string): string {
    if (value.length > MAX_INTERNED_LENGTH) return value;
    const known = this.interned.get(value);
    if (known !== undefined) return known;
    if (this.interned.size < MAX_INTERNED) this.interned.set(value, value);
    return value;
  }

  /** The collection at `at` (a value the first read recorded), for positions below it. */
  subtree(at: number): PositionNode | undefined {
    const c = this.text.charCodeAt(at);
    this.lastNode = undefined;
    if (c === OPEN_BRACE) this.flowMap(at, 0, true);
    else if (c === OPEN_BRACKET) this.flowSeq(at, 0, true);
    else if (this.isSeqDash(at)) this.blockSeq(this.columnOf(at), at, 0, true);
    else if (this.startsCompactMap(at)) this.blockMap(this.columnOf(at), at, 0, true);
    return this.lastNode;
  }

  /** A block list whose first `-` is at `start`, in column `indent`. */
  private blockSeq(indent: number, start: number, depth: number, record: boolean): unknown[] {
    this.countCollection(start, depth);
    const text = this.text;
    const items: unknown[] = [];
    const node: SeqPositions | undefined = record ? { kind: "seq", at: start, items: [] } : undefined;
    let dashAt = start;
    for (let index = 0; ; index++) {
      const itemRecord = this.childRecord(record, depth, index);
      let q = dashAt + 1;
      while (text.charCodeAt(q) === SPACE) q++;
      const c = text.charCodeAt(q);
      let valueAt = q;
      let value: unknown = null;
      let child: PositionNode | undefined;
      if (q >= this.n || c === LF || c === CR || (c === HASH && q > dashAt + 1)) {
        this.nextContentLine(this.endOfLine(q, q > dashAt + 1));
        if (!this.eof && this.indent > indent) {
          valueAt = this.at;
          value = this.blockNode(this.indent, this.at, depth + 1, itemRecord);
          child = this.lastNode;
        }
      } else if (this.isSeqDash(q)) {
        throw new Unsupported(q, "a list inside a list item on the same line (- - x)");
      } else if (this.startsCompactMap(q)) {
        value = this.blockMap(this.columnOf(q), q, depth + 1, itemRecord);
        child = this.lastNode;
      } else {
        value = this.inlineValue(q, depth + 1, false, itemRecord);
        child = this.lastNode;
        this.nextContentLine(this.endOfLine(this.pos, false));
      }
      if (this.buildValues) items.push(value);
      if (node && this.keepsEntry(depth, index)) node.items[index] = { keyAt: dashAt, valueAt, child };
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent) throw new Unsupported(this.at, "a line indented more than the list item before it");
      // A key in the same column ends the list: it belongs to the mapping the list is a value of.
      if (!this.isSeqDash(this.at)) break;
      dashAt = this.at;
    }
    this.lastNode = node ?? UNRECORDED;
    return items;
  }

  /** A value that starts on a line of its own, at `at` in column `indent`. */
  private blockNode(indent: number, at: number, depth: number, record: boolean): unknown {
    const c = this.text.charCodeAt(at);
    if (this.isSeqDash(at)) return this.blockSeq(indent, at, depth, record);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const value = c === OPEN_BRACE ? this.flowMap(at, depth, record) : this.flowSeq(at, depth, record);
      const node = this.lastNode;
      this.nextContentLine(this.endOfLine(this.pos, false));
      this.lastNode = node;
      return value;
    }
    if (c === QUOTE || c === APOSTROPHE) {
      this.quoted(at);
      if (!this.followedByColon(this.pos)) throw new Unsupported(at, "a value on the line after its key");
    } else if (!this.startsCompactMap(at)) {
      throw new Unsupported(at, "a value on the line after its key");
    }
    return this.blockMap(indent, at, depth, record);
  }

  /** Whether a list item's content is a mapping (`- key: value`). */
  private startsCompactMap(q: number): boolean {
    const c = this.text.charCodeAt(q);
    if (c === QUOTE || c === APOSTROPHE) {
      this.quoted(q);
      return this.followedByColon(this.pos);
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET || indicatorReason(c) !== undefined) return false;
    this.scanPlain(q, false);
    return this.plainEnd === "colon";
  }

  private followedByColon(from: number): boolean {
    let p = from;
    while (this.text.charCodeAt(p) === SPACE) p++;
    return this.text.charCodeAt(p) === COLON;
  }

  /** The key that blockKey or flowKey read last, as JavaScript reads it, and as written when plain text. */
  private key = "";
  private keyWritten: string | undefined;
  /** The mapping's shape after that key, when the text matched the shape's recent key. */
  private keyShape: Shape | undefined;
  /** The key as positions are looked up (differs from `key` only for a null key). */
  private positionKey: string | undefined;

  /** Reads a block mapping key at `p` into this.key; returns the offset after its `:`. */
  private blockKey(p: number, builder: MappingBuilder): number {
    const text = this.text;
    const c = text.charCodeAt(p);
    let end: number;
    if (c === QUOTE || c === APOSTROPHE) {
      this.key = this.quoted(p);
      this.keyWritten = undefined;
      this.keyShape = undefined;
      this.positionKey = undefined;
      end = this.pos;
      while (text.charCodeAt(end) === SPACE) end++;
      if (text.charCodeAt(end) !== COLON) throw new Unsupported(p, "a quoted text where a key was expected");
      const next = text.charCodeAt(end + 1);
      if (!(end + 1 >= this.n || next === SPACE || next === LF || next === CR))
        throw new Unsupported(end, "a key whose : is not followed by a space");
    } else {
      if (c === 63 /* ? */ || c === COLON || c === DASH) {
        const next = text.charCodeAt(p + 1);
        if (p + 1 >= this.n || next === SPACE || next === LF || next === CR)
          throw new Unsupported(p, c === 63 ? "an explicit key (?)" : "an indicator where a key was expected");
      }
      const reason = indicatorReason(c);
      if (reason) throw new Unsupported(p, reason);
      end = this.scanPlain(p, false);
      if (this.plainEnd !== "colon") throw new Unsupported(p, "a line that is not a key: value");
      this.plainKey(p, end, builder);
      while (text.charCodeAt(end) !== COLON) end++;
    }
    if (end - p > MAX_KEY_LENGTH) throw new Unsupported(p, `a key longer than ${MAX_KEY_LENGTH} characters`);
    return end + 1;
  }

  /**
   * The plain key from p to end as JavaScript reads it (yaml's stringifyKey) into this.key,
   * noting keys that do not read as text. The key the shape expects is compared in place.
   */
  private plainKey(p: number, end: number, builder: MappingBuilder): void {
    this.positionKey = undefined;
    const expected = builder.shape?.recent;
    const known = expected?.written;
    if (known !== undefined && known.length === end - p && this.text.startsWith(known, p)) {
      this.key = known;
      this.keyWritten = known;
      this.keyShape = expected;
      return;
    }
    this.keyShape = undefined;
    const written = this.text.slice(p, end);
    const value = resolvePlain(written);
    if (written === "<<" && this.keyProblems.length < MAX_KEY_PROBLEMS)
      this.keyProblems.push({ kind: "merge-key", at: p });
    if (typeof value === "string") {
      this.key = value;
      this.keyWritten = written;
      return;
    }
    this.keyWritten = undefined;
    if (String(value) !== written || typeof value === "boolean" || value === null) {
      if (this.keyProblems.length < MAX_KEY_PROBLEMS)
        this.keyProblems.push({ kind: "ambiguous-key", at: p, written, value });
    }
    this.key = value === null ? "" : String(value);
    // yaml's originOf and keyOrigins compare keys as String(value): "null" for ~.
    if (value === null) this.positionKey = "null";
  }

  private setEntry(
    depth: number,
    builder: MappingBuilder,
    node: MapPositions | undefined,
    key: string,
    positionKey: string,
    written: string | undefined,
    keyShape: Shape | undefined,
    keyAt: number,
    value: unknown,
    valueAt: number,
    child: PositionNode | undefined,
  ): void {
    if (builder.add(key, written, value, keyShape, keyAt) && this.keyProblems.length < MAX_KEY_PROBLEMS) {
      let firstAt = builder.firstKeyAt(key);
      if (node) {
        // A null key is "" to JavaScript but "null" to positions: look for the first "" as either.
        let first = node.indexOf(positionKey);
        const asNull = key === "" ? this.nullKeys.get(node) : undefined;
        if (asNull !== undefined && (first < 0 || asNull < first)) first = asNull;
        firstAt = node.keyAts[first];
      }
      this.keyProblems.push({ kind: "duplicate-key", at: keyAt, firstAt, key });
    }
    if (node && positionKey !== key && !this.nullKeys.has(node)) this.nullKeys.set(node, node.keys.length);
    if (node && this.keepsEntry(depth, positionKey)) node.push(positionKey, keyAt, valueAt, child);
  }

  // -------------------------------------------------------------------------
  // Values on a line

  /** A flow collection, quoted or plain scalar at `q`; leaves this.pos after it. */
  private inlineValue(q: number, depth: number, flow: boolean, record: boolean): unknown {
    const text = this.text;
    const c = text.charCodeAt(q);
    this.lastNode = undefined;
    if (c === OPEN_BRACE) return this.flowMap(q, depth, record);
    if (c === OPEN_BRACKET) return this.flowSeq(q, depth, record);
    if (c === QUOTE || c === APOSTROPHE) return this.intern(this.quoted(q));
    if (c === 63 /* ? */ || c === COLON || c === DASH) {
      const next = text.charCodeAt(q + 1);
      if (q + 1 >= this.n || next === SPACE || next === LF || next === CR || (flow && isFlowIndicator(next)))
        throw new Unsupported(q, "an indicator (- ? :) where a value was expected");
    }
    const reason = indicatorReason(c);
    if (reason) throw new Unsupported(q, reason);
    const end = this.scanPlain(q, flow);
    if (this.plainEnd === "colon") throw new Unsupported(q, "a key: value inside a value on one line");
    if (flow && this.plainEnd !== "flow") throw new Unsupported(q, "a flow collection that continues on the next line");
    this.pos = end;
    if (!this.buildValues) return null;
    const value = resolvePlain(text.slice(q, end));
    return typeof value === "string" ? this.intern(value) : value;
  }

  /**
   * Scans a plain scalar from `p`; returns its end (trailing spaces trimmed) and sets
   * plainEnd to what ended it.
   */
  private scanPlain(p: number, flow: boolean): number {
    const text = this.text;
    const n = this.n;
    const goOn = flow ? PLAIN_IN_FLOW : PLAIN_IN_BLOCK;
    let q = p;
    let end: PlainEnd = "eol";
    while (q < n) {
      const c = text.charCodeAt(q);
      if (c < 256 ? CHARACTER_CLASS[c]! & goOn : c !== 0xfeff) {
        q++;
        continue;
      }
      if (c === LF) break;
      if (c === SPACE) {
        if (text.charCodeAt(q + 1) === HASH) {
          end = "comment";
          break;
        }
      } else if (c === COLON) {
        const next = text.charCodeAt(q + 1);
        if (q + 1 >= n || next === SPACE || next === LF || next === CR || (flow && isFlowIndicator(next))) {
          end = "colon";
          break;
        }
      } else if (flow && isFlowIndicator(c)) {
        end = "flow";
        break;
      } else if (c === CR) {
        if (text.charCodeAt(q + 1) === LF) break;
        throw new Unsupported(q, "a carriage return without a line feed");
      } else if (c === TAB) {
        throw new Unsupported(q, "a tab inside a value");
      } else {
        throw new Unsupported(q, `the control character U+${c.toString(16).padStart(4, "0").toUpperCase()}`);
      }
      q++;
    }
    this.plainEnd = end;
    while (q > p && text.charCodeAt(q - 1) === SPACE) q--;
    return q;
  }

  /** A single- or double-quoted scalar on one line; leaves this.pos after the closing quote. */
  private quoted(p: number): string {
    const text = this.text;
    const n = this.n;
    const quote = text.charCodeAt(p);
    let out = "";
    let from = p + 1;
    let q = from;
    for (;;) {
      if (q >= n) throw new Unsupported(p, "a quoted text without its closing quote");
      const c = text.charCodeAt(q);
      if (c === quote) {
        if (quote === APOSTROPHE && text.charCodeAt(q + 1) === APOSTROPHE) {
          out += text.slice(from, q + 1);
          q += 2;
          from = q;
          continue;
        }
        out += text.slice(from, q);
        this.pos = q + 1;
        return out;
      }
      if (c === LF || c === CR) throw new Unsupported(p, "a quoted text that continues on the next line");
      if (c === BACKSLASH && quote === QUOTE) {
        out += text.slice(from, q);
        q = this.escape(q, (s) => {
          out += s;
        });
        from = q;
        continue;
      }
      if (c !== TAB && isOddCharacter(c))
        throw new Unsupported(q, `the control character U+${c.toString(16).padStart(4, "0").toUpperCase()}`);
      q++;
    }
  }

  /** A double-quoted escape at `q` (the backslash); returns the offset after it. */
  private escape(q: number, add: (s: string) => void): number {
    const text = this.text;
    const letter = text[q + 1] ?? "";
    const simple = DOUBLE_QUOTED_ESCAPES[letter];
    if (simple !== undefined) {
      add(simple);
      return q + 2;
    }
    const length = letter === "x" ? 2 : letter === "u" ? 4 : letter === "U" ? 8 : 0;
    const hex = text.substr(q + 2, length);
    if (length === 0 || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex))
      throw new Unsupported(q, "an escape sequence that YAML does not define");
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff) throw new Unsupported(q, "an escape sequence beyond Unicode");
    add(String.fromCodePoint(code));
    return q + 2 + length;
  }

  // -------------------------------------------------------------------------
  // Flow collections, on one line

  private flowSpace(from: number): number {
    const text = this.text;
    let p = from;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === SPACE) p++;
      else if (p >= this.n || c === LF || c === CR || c === HASH)
        throw new Unsupported(p, "a flow collection ({ } or [ ]) that continues on the next line");
      else if (c === TAB) throw new Unsupported(p, "a tab inside a flow collection");
      else return p;
    }
  }

  private flowMap(start: number, depth: number, record: boolean): Record<string, unknown> {
    this.countCollection(start, depth);
    const text = this.text;
    const builder = this.builder(depth, record);
    const node: MapPositions | undefined = record ? new MapPositions(start) : undefined;
    let q = this.flowSpace(start + 1);
    if (text.charCodeAt(q) !== CLOSE_BRACE) {
      for (;;) {
        const keyAt = q;
        const c = text.charCodeAt(q);
        if (c === QUOTE || c === APOSTROPHE) {
          this.key = this.quoted(q);
          this.keyWritten = undefined;
          this.keyShape = undefined;
          this.positionKey = undefined;
          q = this.flowSpace(this.pos);
          if (text.charCodeAt(q) !== COLON) throw new Unsupported(keyAt, "a flow mapping entry without a value");
          q++;
        } else {
          if (c === 63 /* ? */ || c === COLON || c === DASH) {
            const next = text.charCodeAt(q + 1);
            if (next === SPACE || isFlowIndicator(next) || next === LF || next === CR || q + 1 >= this.n)
              throw new Unsupported(q, "an indicator where a key was expected");
          }
          const reason = indicatorReason(c);
          if (reason) throw new Unsupported(q, reason);
          const end = this.scanPlain(q, true);
          if (this.plainEnd !== "colon") throw new Unsupported(keyAt, "a flow mapping entry without a value");
          this.plainKey(q, end, builder);
          q = end;
          while (text.charCodeAt(q) !== COLON) q++;
          q++;
          if (text.charCodeAt(q) !== SPACE) throw new Unsupported(q, "a key whose : is not followed by a space");
        }
        const key = this.key;
        const written = this.keyWritten;
        const keyShape = this.keyShape;
        const positionKey = this.positionKey ?? key;
        q = this.flowSpace(q);
        const valueAt = q;
        const v = text.charCodeAt(q);
        let value: unknown = null;
        let child: PositionNode | undefined;
        if (v !== COMMA && v !== CLOSE_BRACE) {
          value = this.inlineValue(q, depth + 1, true, this.childRecord(record, depth, positionKey));
          child = this.lastNode;
          q = this.flowSpace(this.pos);
        }
        this.setEntry(depth, builder, node, key, positionKey, written, keyShape, keyAt, value, valueAt, child);
        const after = text.charCodeAt(q);
        if (after === COMMA) {
          q = this.flowSpace(q + 1);
          if (text.charCodeAt(q) === CLOSE_BRACE) break;
          continue;
        }
        if (after === CLOSE_BRACE) break;
        throw new Unsupported(q, "a flow mapping entry not followed by , or }");
      }
    }
    this.pos = q + 1;
    this.lastNode = node ?? UNRECORDED;
    return builder.finish();
  }

  private flowSeq(start: number, depth: number, record: boolean): unknown[] {
    this.countCollection(start, depth);
    const text = this.text;
    const items: unknown[] = [];
    const node: SeqPositions | undefined = record ? { kind: "seq", at: start, items: [] } : undefined;
    let q = this.flowSpace(start + 1);
    if (text.charCodeAt(q) !== CLOSE_BRACKET) {
      for (let index = 0; ; index++) {
        const valueAt = q;
        const c = text.charCodeAt(q);
        if (c === COMMA) throw new Unsupported(q, "an empty entry in a flow list");
        const value = this.inlineValue(q, depth + 1, true, this.childRecord(record, depth, index));
        const child = this.lastNode;
        q = this.flowSpace(this.pos);
        if (text.charCodeAt(q) === COLON) throw new Unsupported(q, "a key: value inside a flow list");
        if (this.buildValues) items.push(value);
        if (node && this.keepsEntry(depth, index)) node.items[index] = { keyAt: valueAt, valueAt, child };
        const after = text.charCodeAt(q);
        if (after === COMMA) {
          q = this.flowSpace(q + 1);
          if (text.charCodeAt(q) === CLOSE_BRACKET) break;
          continue;
        }
        if (after === CLOSE_BRACKET) break;
        throw new Unsupported(q, "a flow list entry not followed by , or ]");
      }
    }
    this.pos = q + 1;
    this.lastNode = node ?? UNRECORDED;
    return items;
  }
}

function isFlowIndicator(code: number): boolean {
  return (
    code === COMMA || code === OPEN_BRACKET || code === CLOSE_BRACKET || code === OPEN_BRACE || code === CLOSE_BRACE
  );
}
