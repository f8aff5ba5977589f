// Type stripping with sucrase: TypeScript in, JavaScript out, with the same lines (sucrase never
// moves code between lines) and a token-level source map for columns. Imports are kept even when
// a cell does not use them, since later cells may.
import { transform } from "sucrase";
import { LineColumnMap } from "./source_map.js";

export interface StrippedCell {
  js: string;
  /** Maps 1-based line / 0-based column of `js` to the TypeScript source. */
  map: LineColumnMap;
}

/** A syntax error in the TypeScript source, at an offset of that source. */
export class StripError extends SyntaxError {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}

export function stripTypes(source: string, options: { jsx?: boolean } = {}): StrippedCell {
  const namespace = /^[ \t]*(?:export\s+)?(?:declare\s+)?(?:namespace|module)\s+[A-Za-z_$][\w$.]*\s*\{/m.exec(source);
  if (namespace && !/^\s*(?:export\s+)?declare\b/.test(namespace[0])) {
    // sucrase silently drops namespaces; say so instead of running a cell with code missing.
    throw new StripError("TypeScript namespaces are not supported in notebook cells; use an object or a class", namespace.index + namespace[0].search(/\S/));
  }
  try {
    const result = transform(source, {
      transforms: options.jsx ? ["typescript", "jsx"] : ["typescript"],
      keepUnusedImports: true,
      preserveDynamicImport: true,
      disableESTransforms: true,
      filePath: options.jsx ? "cell.tsx" : "cell.ts",
      sourceMapOptions: { compiledFilename: "cell.js" },
    });
    return { js: result.code, map: new LineColumnMap(result.sourceMap?.mappings ?? "") };
  } catch (e) {
    const err = e as SyntaxError & { pos?: number };
    if (typeof err.pos !== "number") throw e;
    throw new StripError(err.message.replace(/^Error transforming [^:]*: /, "").replace(/ \(\d+:\d+\)$/, ""), err.pos);
  }
}
