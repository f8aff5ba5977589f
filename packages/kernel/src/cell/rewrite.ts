// The notebook semantics of a cell, applied to its type-stripped JavaScript: top-level
// declarations become assignments to names of the shared scope (so later cells see them and a
// re-run may redefine them), imports become bindings read from the kernel's own module instances,
// the last expression statement becomes the cell's value unless it ends with `;`, and interrupt
// checks go after every `await`, before every top-level statement and at the back-edge of every
// outermost loop. The output keeps the input's lines; SourceEditor maps columns back.
import { parse, type Node, type Pattern, type Program } from "acorn";
import { SourceEditor } from "./edits.js";

/** One name bound by an import declaration. */
export interface ImportBinding {
  local: string;
  module: string;
  /** The exported name, "*" for a namespace import, "default" for a default import. */
  imported: string;
  /** Offsets (in the rewriter's input) of the module specifier and of this binding. */
  moduleStart: number;
  start: number;
}

export interface RewrittenCell {
  /** The cell body: statements for the inside of an async function, lines as in the input. */
  body: string;
  /** Maps an offset in `body` to an offset in the rewriter's input. */
  toInput: (offset: number) => number;
  /** Names the cell assigns on the shared scope (const/let/var/class and destructured names). */
  declared: string[];
  /** Names of top-level function declarations: local to the cell, copied onto the scope. */
  functions: string[];
  imports: ImportBinding[];
  /** Module specifiers of side-effect-only imports (`import "x"`), with their offsets. */
  bareImports: { module: string; start: number }[];
  /** Whether the body returns the value of the cell's last expression. */
  hasResult: boolean;
}

/** A syntax error or unsupported construct, at an offset of the rewriter's input. */
export class RewriteError extends SyntaxError {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}

/** Identifiers of the kernel's helpers inside compiled cells (see compile.ts). */
export const HELPERS = {
  scope: "__kiln$scope",
  runtime: "__kiln$rt",
  check: "__kiln$ck",
  afterAwait: "__kiln$ak",
  dynamicImport: "__kiln$di",
} as const;

type AnyNode = Node & Record<string, unknown>;

const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);
const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

export function rewriteCell(js: string): RewrittenCell {
  let program: Program;
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true });
  } catch (e) {
    const err = e as SyntaxError & { pos?: number };
    throw new RewriteError(err.message.replace(/ \(\d+:\d+\)$/, ""), err.pos ?? 0);
  }
  const ed = new SourceEditor(js);
  const declared = new Set<string>();
  const functions: string[] = [];
  const imports: ImportBinding[] = [];
  const bareImports: { module: string; start: number }[] = [];
  const check = `;${HELPERS.check}();`;

  const body = program.body as unknown as AnyNode[];
  const last = body.at(-1);
  const hasResult = last !== undefined && last.type === "ExpressionStatement" && js[last.end - 1] !== ";";

  for (const stmt of body) {
    if (stmt.type === "ImportDeclaration") {
      collectImport(stmt, imports, bareImports);
      ed.replace(stmt.start, stmt.end, blank(js.slice(stmt.start, stmt.end)));
      continue;
    }
    let decl: AnyNode = stmt;
    if (stmt.type === "ExportNamedDeclaration" && stmt.declaration) {
      decl = stmt.declaration as AnyNode;
      ed.replace(stmt.start, decl.start, blank(js.slice(stmt.start, decl.start)));
    } else if (stmt.type.startsWith("Export")) {
      throw new RewriteError("export statements are not supported in notebook cells: top-level declarations are already visible to later cells", stmt.start);
    }
    if (decl.type === "FunctionDeclaration") {
      functions.push((decl.id as { name: string }).name);
      continue;
    }
    ed.open(stmt.start, check);
    if (decl.type === "VariableDeclaration" && (decl.kind === "var" || decl.kind === "let" || decl.kind === "const")) {
      hoistVariables(ed, decl, declared);
    } else if (decl.type === "ClassDeclaration") {
      const name = (decl.id as { name: string }).name;
      declared.add(name);
      ed.open(decl.start, `;${name} = `);
      ed.close(decl.end, ";");
    } else if (stmt === last && hasResult) {
      // The statement's range, not the expression's: `({ a: 1 })` starts at its parenthesis.
      ed.open(stmt.start, "return (");
      ed.close(stmt.end, ")");
    }
  }

  walk(program as unknown as AnyNode, ed, 0);
  const { text, toOriginal } = ed.apply();
  return { body: text, toInput: toOriginal, declared: [...declared], functions, imports, bareImports, hasResult };
}

/** `const {a, b: [c]} = v, d = 1;` → `;({a, b: [c]} = v, d = 1);` with the same columns. */
function hoistVariables(ed: SourceEditor, decl: AnyNode, declared: Set<string>): void {
  const kind = decl.kind as string;
  const declarators = decl.declarations as AnyNode[];
  ed.replace(decl.start, decl.start + kind.length, ";(".padEnd(kind.length, " "));
  ed.close(declarators.at(-1)!.end, ")");
  for (const d of declarators) {
    for (const name of boundNames(d.id as unknown as Pattern)) declared.add(name);
    if (d.init == null && kind === "let") ed.close(d.end, " = void 0");
  }
}

function collectImport(stmt: AnyNode, imports: ImportBinding[], bare: { module: string; start: number }[]): void {
  const source = stmt.source as AnyNode & { value: string };
  const specifiers = stmt.specifiers as AnyNode[];
  if (specifiers.length === 0) bare.push({ module: source.value, start: source.start });
  for (const s of specifiers) {
    const local = (s.local as { name: string }).name;
    let imported: string;
    if (s.type === "ImportNamespaceSpecifier") imported = "*";
    else if (s.type === "ImportDefaultSpecifier") imported = "default";
    else {
      const im = s.imported as { type: string; name?: string; value?: string };
      imported = im.type === "Identifier" ? im.name! : String(im.value);
    }
    imports.push({ local, module: source.value, imported, moduleStart: source.start, start: s.start });
  }
}

/** The names a binding pattern declares. */
export function boundNames(p: Pattern | null): string[] {
  if (p === null) return [];
  switch (p.type) {
    case "Identifier":
      return [p.name];
    case "ObjectPattern":
      return p.properties.flatMap((prop) => boundNames(prop.type === "RestElement" ? prop.argument : prop.value));
    case "ArrayPattern":
      return p.elements.flatMap((el) => boundNames(el));
    case "RestElement":
      return boundNames(p.argument);
    case "AssignmentPattern":
      return boundNames(p.left);
    default:
      return [];
  }
}

/** Replace every character but line breaks by a space, keeping lines and columns. */
function blank(s: string): string {
  return s.replace(/[^\n\r]/g, " ");
}

/** Instrument awaits, outermost loops and dynamic imports; `loopDepth` counts loops within the current function. */
function walk(node: AnyNode, ed: SourceEditor, loopDepth: number): void {
  if (FUNCTIONS.has(node.type)) loopDepth = 0;
  if (node.type === "AwaitExpression") {
    ed.open(node.start, `${HELPERS.afterAwait}(`);
  } else if (node.type === "ImportExpression") {
    ed.replace(node.start, node.start + "import".length, HELPERS.dynamicImport);
  } else if (node.type === "MetaProperty" && (node.meta as { name: string }).name === "import") {
    throw new RewriteError("import.meta is not available in notebook cells", node.start);
  } else if (LOOPS.has(node.type)) {
    if (loopDepth === 0) {
      const body = node.body as AnyNode;
      if (body.type === "BlockStatement") ed.open(body.start + 1, `${HELPERS.check}();`, node.start);
      else {
        ed.open(body.start, `{${HELPERS.check}();`, node.start);
        ed.close(body.end, "}");
      }
    }
    loopDepth++;
  }
  for (const key of Object.keys(node)) {
    if (key === "type" || key === "start" || key === "end" || key === "loc") continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const child of v) if (isNode(child)) walk(child, ed, loopDepth);
    } else if (isNode(v)) walk(v, ed, loopDepth);
  }
  if (node.type === "AwaitExpression") ed.close(node.end, ")");
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";
}
