// A small util.inspect: JS values as Node's console prints them (depth 2, arrays grouped into
// columns, objects on one line when short, `<ref *1>` for cycles), written without Node APIs so
// it runs in the worker. `formatLog` is console.log's argument formatting (%s %d %i %f %j %o %O %c).

export interface InspectOptions {
  /** Levels of nesting to show before `[Object]` (Node: 2). */
  depth?: number;
  /** Width to fit entries within (Node: 80 for objects on one line). */
  breakLength?: number;
  maxArrayLength?: number;
  /** A formatter consulted first for every value; return a string to use it verbatim. */
  special?: (value: unknown) => string | undefined;
}

interface Ctx {
  depth: number;
  breakLength: number;
  maxArrayLength: number;
  special?: (value: unknown) => string | undefined;
  indentationLvl: number;
  currentDepth: number;
  seen: object[];
  circular: Map<object, number>;
}

const CUSTOM = Symbol.for("nodejs.util.inspect.custom");
const IDENT = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const COMPACT = 3;

export function inspect(value: unknown, options: InspectOptions = {}): string {
  const ctx: Ctx = {
    depth: options.depth ?? 2,
    breakLength: options.breakLength ?? 80,
    maxArrayLength: options.maxArrayLength ?? 100,
    special: options.special,
    indentationLvl: 0,
    currentDepth: 0,
    seen: [],
    circular: new Map(),
  };
  return formatValue(ctx, value, 0, false);
}

/** console.log's formatting of its arguments (Node's util.format). */
export function formatLog(args: readonly unknown[], options: InspectOptions = {}): string {
  const first = args[0];
  let rest = args.slice(1);
  let out = "";
  if (typeof first === "string" && rest.length > 0 && first.includes("%")) {
    let i = 0;
    out = first.replace(/%[sdifjoOc%]/g, (spec) => {
      if (spec === "%%") return "%";
      if (i >= rest.length) return spec;
      const v = rest[i++];
      switch (spec) {
        case "%s":
          if (typeof v === "bigint") return `${v}n`;
          if (typeof v === "symbol") return v.toString();
          return typeof v === "object" && v !== null ? inspect(v, { ...options, depth: 0 }) : String(v);
        case "%d":
          return typeof v === "bigint" ? `${v}n` : typeof v === "object" && v !== null ? "NaN" : formatNumber(Number(v));
        case "%i":
          return typeof v === "bigint" ? `${v}n` : formatNumber(parseInt(String(v), 10));
        case "%f":
          return formatNumber(parseFloat(String(v)));
        case "%j":
          try {
            return JSON.stringify(v) ?? "undefined";
          } catch {
            return "[Circular]";
          }
        case "%c":
          return "";
        default:
          return inspect(v, options);
      }
    });
    rest = rest.slice(i);
  } else if (args.length > 0) {
    out = typeof first === "string" ? first : inspect(first, options);
  }
  for (const v of rest) out += " " + (typeof v === "string" ? v : inspect(v, options));
  return out;
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}

function quote(s: string): string {
  let q = "'";
  if (s.includes("'")) q = !s.includes('"') ? '"' : !s.includes("`") && !s.includes("${") ? "`" : "'";
  const escaped = s.replace(/[\\\n\r\t\b\f\v\0]|[\x00-\x1f\x7f]/g, (c) => {
    const map: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v" };
    return map[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function formatPrimitive(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return formatNumber(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
      return String(value);
    case "undefined":
      return "undefined";
    case "symbol":
      return value.toString();
    default:
      return value === null ? "null" : undefined;
  }
}

function formatValue(ctx: Ctx, value: unknown, recurseTimes: number, typedArray: boolean): string {
  const prim = formatPrimitive(value);
  if (prim !== undefined) return prim;
  const special = ctx.special?.(value);
  if (special !== undefined) return indentLines(ctx, special);
  const obj = value as object;
  const custom = (obj as Record<symbol, unknown>)[CUSTOM];
  if (typeof custom === "function") {
    const ret = custom.call(obj, ctx.depth - recurseTimes, { depth: ctx.depth }, inspect);
    if (ret !== obj) return typeof ret === "string" ? indentLines(ctx, ret) : formatValue(ctx, ret, recurseTimes, typedArray);
  }
  if (ctx.seen.includes(obj)) {
    let index = ctx.circular.get(obj);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(obj, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, obj, recurseTimes);
}

function indentLines(ctx: Ctx, s: string): string {
  return ctx.indentationLvl === 0 ? s : s.replace(/\n/g, `\n${" ".repeat(ctx.indentationLvl)}`);
}

function constructorName(obj: object): string | null {
  let proto = Object.getPrototypeOf(obj);
  while (proto !== null) {
    const desc = Object.getOwnPropertyDescriptor(proto, "constructor");
    if (desc && typeof desc.value === "function" && desc.value.name !== "") return desc.value.name as string;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function functionBase(fn: Function): string {
  const src = Function.prototype.toString.call(fn);
  if (src.startsWith("class") && /^class\b/.test(src)) {
    const ext = Object.getPrototypeOf(fn) as Function;
    return `[class ${fn.name || "(anonymous)"}${ext && ext.name ? ` extends ${ext.name}` : ""}]`;
  }
  const kind = constructorName(fn) ?? "Function";
  return `[${kind}${fn.name ? `: ${fn.name}` : " (anonymous)"}]`;
}

type Braces = [string, string];

function formatRaw(ctx: Ctx, obj: object, recurseTimes: number): string {
  const name = constructorName(obj);
  const tag = (obj as Record<symbol, unknown>)[Symbol.toStringTag];
  let keys = Object.keys(obj);
  let braces: Braces = ["{", "}"];
  let base = "";
  let isArrayLike = false;
  let formatter: (() => string[]) | null = null;
  const prefix = (fallback: string, size?: number): string => {
    const n = name ?? `[${fallback}: null prototype]`;
    return `${n}${size !== undefined ? `(${size})` : ""}${typeof tag === "string" && tag !== "" && tag !== name ? ` [${tag}]` : ""} `;
  };

  if (Array.isArray(obj)) {
    isArrayLike = true;
    keys = keys.filter((k) => !isIndex(k));
    braces = [`${name === "Array" ? "" : prefix("Array", obj.length)}[`, "]"];
    if (obj.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = () => formatArray(ctx, obj, recurseTimes);
  } else if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const ta = obj as unknown as ArrayLike<number | bigint> & { length: number };
    isArrayLike = true;
    keys = keys.filter((k) => !isIndex(k));
    braces = [`${prefix("TypedArray", ta.length)}[`, "]"];
    if (ta.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = () => {
      const out: string[] = [];
      const n = Math.min(ta.length, ctx.maxArrayLength);
      for (let i = 0; i < n; i++) out.push(formatPrimitive(ta[i])!);
      if (ta.length > n) out.push(moreItems(ta.length - n));
      return out;
    };
  } else if (obj instanceof Map) {
    braces = [`${prefix("Map", obj.size)}{`, "}"];
    if (obj.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = () => {
      const out: string[] = [];
      ctx.indentationLvl += 2;
      for (const [k, v] of obj) out.push(`${formatValue(ctx, k, recurseTimes + 1, false)} => ${formatValue(ctx, v, recurseTimes + 1, false)}`);
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (obj instanceof Set) {
    braces = [`${prefix("Set", obj.size)}{`, "}"];
    if (obj.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = () => {
      const out: string[] = [];
      ctx.indentationLvl += 2;
      for (const v of obj) out.push(formatValue(ctx, v, recurseTimes + 1, false));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (typeof obj === "function") {
    base = functionBase(obj);
    keys = keys.filter((k) => k !== "prototype");
    if (keys.length === 0) return base;
  } else if (obj instanceof RegExp) {
    base = RegExp.prototype.toString.call(obj);
    if (keys.length === 0) return base;
  } else if (obj instanceof Date) {
    base = Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
    if (keys.length === 0) return base;
  } else if (obj instanceof Error) {
    base = obj.stack && obj.stack.includes(obj.message) ? obj.stack : `[${String(obj)}]`;
    keys = keys.filter((k) => k !== "stack" && k !== "message");
    if (keys.length === 0) return indentLines(ctx, base);
  } else if (obj instanceof Promise) {
    return "Promise { <pending> }";
  } else if (obj instanceof WeakMap || obj instanceof WeakSet) {
    return `${name} { <items unknown> }`;
  } else if (obj instanceof ArrayBuffer) {
    const bytes = new Uint8Array(obj);
    const hex = [...bytes.slice(0, 50)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    return `ArrayBuffer { [Uint8Contents]: <${hex}${bytes.length > 50 ? ` ... ${bytes.length - 50} more bytes` : ""}>, byteLength: ${bytes.length} }`;
  } else if (obj instanceof Number || obj instanceof String || obj instanceof Boolean) {
    base = `[${name}: ${formatPrimitive(obj.valueOf())}]`;
    if (obj instanceof String) keys = keys.filter((k) => !isIndex(k));
    if (keys.length === 0) return base;
  } else {
    if (name === "Object") {
      if (typeof tag === "string" && tag !== "") braces[0] = `Object [${tag}] {`;
    } else braces[0] = `${prefix("Object")}{`;
    if (keys.length === 0 && Object.getOwnPropertySymbols(obj).length === 0) return `${braces[0]}}`;
  }

  if (recurseTimes > ctx.depth) {
    if (isArrayLike && Array.isArray(obj)) return "[Array]";
    return `[${name ?? "Object: null prototype"}]`;
  }

  ctx.seen.push(obj);
  ctx.currentDepth = recurseTimes;
  const output = formatter ? formatter() : [];
  for (const k of keys) output.push(formatProperty(ctx, obj, k, recurseTimes, isArrayLike));
  for (const s of Object.getOwnPropertySymbols(obj)) {
    if (Object.getOwnPropertyDescriptor(obj, s)?.enumerable) output.push(formatProperty(ctx, obj, s, recurseTimes, false));
  }
  ctx.seen.pop();

  let res = reduceToSingleString(ctx, output, base, braces, isArrayLike, recurseTimes, obj);
  const ref = ctx.circular.get(obj);
  if (ref !== undefined) res = `<ref *${ref}> ${res}`;
  return res;
}

function isIndex(k: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(k);
}

function moreItems(n: number): string {
  return `... ${n} more item${n > 1 ? "s" : ""}`;
}

function formatArray(ctx: Ctx, arr: readonly unknown[], recurseTimes: number): string[] {
  const out: string[] = [];
  const n = Math.min(arr.length, ctx.maxArrayLength);
  let holes = 0;
  const flushHoles = () => {
    if (holes > 0) out.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
    holes = 0;
  };
  for (let i = 0; i < n; i++) {
    if (!Object.prototype.hasOwnProperty.call(arr, i)) {
      holes++;
      continue;
    }
    flushHoles();
    out.push(formatProperty(ctx, arr, i, recurseTimes, true));
  }
  flushHoles();
  if (arr.length > n) out.push(moreItems(arr.length - n));
  return out;
}

function formatProperty(ctx: Ctx, obj: object, key: string | number | symbol, recurseTimes: number, arrayEntry: boolean): string {
  const desc = Object.getOwnPropertyDescriptor(obj, key) ?? { value: (obj as Record<PropertyKey, unknown>)[key], enumerable: true };
  let str: string;
  if (desc.get !== undefined || desc.set !== undefined) {
    str = desc.get && desc.set ? "[Getter/Setter]" : desc.get ? "[Getter]" : "[Setter]";
  } else {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes + 1, false);
    ctx.indentationLvl -= 2;
  }
  if (arrayEntry && typeof key === "number") return str;
  const name = typeof key === "symbol" ? `[${key.toString()}]` : IDENT.test(String(key)) ? String(key) : quote(String(key));
  return `${name}: ${str}`;
}

function reduceToSingleString(ctx: Ctx, output: string[], base: string, braces: Braces, isArray: boolean, recurseTimes: number, value: object): string {
  const entries = output.length;
  if (isArray && entries > 6) output = groupArrayElements(ctx, output, value as ArrayLike<unknown>);
  if (ctx.currentDepth - recurseTimes < COMPACT && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function isBelowBreakLength(ctx: Ctx, output: string[], start: number, base: string): boolean {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const o of output) {
    total += o.length;
    if (total > ctx.breakLength) return false;
  }
  return base === "" || !base.includes("\n");
}

/** Node's column layout for arrays of more than six short entries. */
function groupArrayElements(ctx: Ctx, output: string[], value: ArrayLike<unknown>): string[] {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (output.length > 0 && output[output.length - 1].startsWith("... ") && ctx.maxArrayLength < value.length) outputLength--;
  const separatorSpace = 2;
  const dataLen: number[] = [];
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen.push(len);
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      COMPACT * 4,
      15,
    );
    if (columns <= 1) return output;
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    for (let i = 0; i < Math.min(value.length, outputLength); i++) {
      const v = value[i];
      if (typeof v !== "number" && typeof v !== "bigint") {
        padStart = false;
        break;
      }
    }
    const tmp: string[] = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        str += padStart ? cell.padStart(maxLineLength[j - i], " ") : cell.padEnd(maxLineLength[j - i], " ");
      }
      str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, " ") : output[j];
      tmp.push(str);
    }
    if (outputLength < output.length) tmp.push(output[outputLength]);
    return tmp;
  }
  return output;
}
