// The names a cell declares at its top level (const/let/var with destructuring, function, class,
// enum, interface, type), found by a small TypeScript-aware scanner: it skips strings, template
// literals, comments, regular expressions and everything nested in brackets. The editor uses the
// names to let later cells see earlier cells' declarations (cell_libs.ts); an approximation is
// fine there — the kernel's real parser decides what runs.

export interface Declarations {
  /** Names with a value (variables, functions, classes, enums). */
  values: string[];
  /** Names with a type (classes, enums, interfaces, type aliases). */
  types: string[];
  /** Names bound by import declarations (value, type or namespace, as the module says). */
  imports: string[];
}

type Token = { kind: "word" | "punct" | "string" | "newline"; text: string; depth: number };

const REGEX_PRECEDERS = new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^", "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await"]);

/** Tokens at every depth, with the bracket depth each one sits at (strings and comments dropped). */
function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const templateStack: number[] = []; // depth at which each open `${` of a template started
  const push = (kind: Token["kind"], text: string) => tokens.push({ kind, text, depth });
  const prevSignificant = () => {
    for (let k = tokens.length - 1; k >= 0; k--) if (tokens[k]!.kind !== "newline") return tokens[k];
    return undefined;
  };
  const skipTemplate = (): void => {
    // i is just past "`" or "}" closing an interpolation; scan to the end or the next "${".
    while (i < src.length) {
      const c = src[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        return;
      } else if (c === "$" && src[i + 1] === "{") {
        i += 2;
        templateStack.push(depth);
        depth++;
        return;
      } else i++;
    }
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") {
      push("newline", "\n");
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      push("string", src.slice(i, j + 1));
      i = j + 1;
    } else if (c === "`") {
      i++;
      push("string", "`");
      skipTemplate();
    } else if (c === "/") {
      const prev = prevSignificant();
      const isRegex = prev === undefined || (prev.kind === "punct" && prev.text !== ")" && prev.text !== "]") || (prev.kind === "word" && REGEX_PRECEDERS.has(prev.text));
      if (isRegex) {
        let j = i + 1;
        let inClass = false;
        while (j < src.length && src[j] !== "\n") {
          if (src[j] === "\\") j++;
          else if (src[j] === "[") inClass = true;
          else if (src[j] === "]") inClass = false;
          else if (src[j] === "/" && !inClass) break;
          j++;
        }
        j++;
        while (j < src.length && /[a-z]/i.test(src[j]!)) j++;
        push("string", src.slice(i, j));
        i = j;
      } else {
        push("punct", "/");
        i++;
      }
    } else if (/[A-Za-z_$\u00c0-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w$\u00c0-\uffff]/.test(src[j]!)) j++;
      push("word", src.slice(i, j));
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w.]/.test(src[j]!)) j++;
      push("word", src.slice(i, j));
      i = j;
    } else if (c === "{" || c === "(" || c === "[") {
      push("punct", c);
      depth++;
      i++;
    } else if (c === "}" || c === ")" || c === "]") {
      if (c === "}" && templateStack.length > 0 && templateStack[templateStack.length - 1] === depth - 1) {
        templateStack.pop();
        depth--;
        i++;
        skipTemplate();
        continue;
      }
      depth = Math.max(0, depth - 1);
      push("punct", c);
      i++;
    } else {
      push("punct", c);
      i++;
    }
  }
  return tokens;
}

/** Names bound by a binding pattern starting at tokens[k] ({…} or […]); returns the index after it. */
function patternNames(tokens: Token[], k: number, names: string[]): number {
  const open = tokens[k]!;
  const base = open.depth;
  const isObject = open.text === "{";
  let j = k + 1;
  while (j < tokens.length && !(tokens[j]!.depth === base && (tokens[j]!.text === "}" || tokens[j]!.text === "]"))) {
    const t = tokens[j]!;
    if (t.depth !== base + 1 || t.kind === "newline") {
      j++;
      continue;
    }
    if (t.text === "{" || t.text === "[") {
      j = patternNames(tokens, j, names);
      continue;
    }
    if (t.text === "=") {
      // Skip a default value up to the next comma of this pattern.
      j++;
      while (j < tokens.length && !(tokens[j]!.depth === base + 1 && tokens[j]!.text === ",") && tokens[j]!.depth > base) j++;
      continue;
    }
    if (t.kind === "word") {
      const next = tokens[j + 1];
      // In an object pattern `key: target`, the key binds nothing.
      if (!(isObject && next?.text === ":" && next.depth === base + 1)) names.push(t.text);
    }
    j++;
  }
  return j + 1;
}

const CONTINUES = new Set([",", "=", "+", "-", "*", "/", "%", "&", "|", "^", "?", ":", ".", "=>", "<", ">", "!", "("]);

export function topLevelDeclarations(source: string): Declarations {
  const tokens = tokenize(source);
  const values: string[] = [];
  const types: string[] = [];
  const imports: string[] = [];
  let statementStart = true;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.depth !== 0) continue;
    if (t.kind === "newline" || t.text === ";" || t.text === "}") {
      if (t.kind !== "newline" || !CONTINUES.has(tokens[k - 1]?.text ?? "")) statementStart = true;
      continue;
    }
    if (!statementStart) continue;
    statementStart = false;
    let j = k;
    while (tokens[j]?.kind === "word" && (tokens[j]!.text === "export" || tokens[j]!.text === "declare" || tokens[j]!.text === "default" || tokens[j]!.text === "abstract")) j++;
    const w = tokens[j];
    if (w === undefined || w.kind !== "word") continue;
    const next = tokens[j + 1];
    switch (w.text) {
      case "import":
        k = importNames(tokens, j, imports) - 1;
        break;
      case "const":
      case "let":
      case "var": {
        if (w.text === "const" && next?.text === "enum") {
          if (tokens[j + 2]?.kind === "word") values.push(tokens[j + 2]!.text), types.push(tokens[j + 2]!.text);
          break;
        }
        // Declarators separated by top-level commas; initializers skipped.
        let m = j + 1;
        for (;;) {
          while (tokens[m]?.kind === "newline") m++;
          const d = tokens[m];
          if (d === undefined) break;
          if (d.text === "{" || d.text === "[") m = patternNames(tokens, m, values);
          else if (d.kind === "word") {
            values.push(d.text);
            m++;
          } else break;
          // Skip to a comma at depth 0 (next declarator) or the statement's end.
          let ended = false;
          while (m < tokens.length) {
            const u = tokens[m]!;
            if (u.depth === 0 && u.text === ",") {
              m++;
              break;
            }
            if (u.depth === 0 && (u.text === ";" || (u.kind === "newline" && !CONTINUES.has(tokens[m - 1]?.text ?? "") && !CONTINUES.has(nextSignificant(tokens, m)?.text ?? "")))) {
              ended = true;
              break;
            }
            m++;
          }
          if (ended || m >= tokens.length) break;
        }
        k = m - 1;
        break;
      }
      case "function":
      case "async": {
        let m = j + 1;
        if (w.text === "async") {
          if (tokens[m]?.text !== "function") break;
          m++;
        }
        if (tokens[m]?.text === "*") m++;
        if (tokens[m]?.kind === "word") values.push(tokens[m]!.text);
        break;
      }
      case "class":
      case "enum":
        if (next?.kind === "word") values.push(next.text), types.push(next.text);
        break;
      case "interface":
      case "type":
        // Generic types are left out: a re-export of them would need their parameters.
        if (next?.kind === "word" && (tokens[j + 2]?.text === "=" || tokens[j + 2]?.text === "{" || tokens[j + 2]?.text === "extends")) types.push(next.text);
        break;
      case "namespace":
      case "module":
        if (next?.kind === "word") values.push(next.text), types.push(next.text);
        break;
    }
  }
  return { values: unique(values), types: unique(types), imports: unique(imports) };
}

/** Names bound by `import …` at tokens[k]: default, `* as ns`, `{ a, b as c, type d }`; returns the index after. */
function importNames(tokens: Token[], k: number, names: string[]): number {
  let j = k + 1;
  const next = tokens[j];
  if (next === undefined || next.text === "(" || next.text === ".") return j; // import("x"), import.meta
  if (next.text === "type" && tokens[j + 1] !== undefined && tokens[j + 1]!.text !== "from" && tokens[j + 1]!.text !== ",") j++;
  for (; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.depth !== 0) continue;
    if (t.kind === "string" || t.text === ";" || t.text === "from") break;
    if (t.text === "*" && tokens[j + 1]?.text === "as" && tokens[j + 2]?.kind === "word") {
      names.push(tokens[j + 2]!.text);
      j += 2;
    } else if (t.text === "{") {
      // Specifiers: the last word of each comma-separated entry is the local name.
      let last: string | null = null;
      for (j++; j < tokens.length && !(tokens[j]!.depth === 0 && tokens[j]!.text === "}"); j++) {
        const u = tokens[j]!;
        if (u.text === ",") {
          if (last !== null) names.push(last);
          last = null;
        } else if (u.kind === "word" && u.text !== "as" && !(u.text === "type" && tokens[j + 1]?.kind === "word" && tokens[j + 1]!.text !== "as")) last = u.text;
        else if (u.kind === "word" && u.text === "as") last = null;
      }
      if (last !== null) names.push(last);
    } else if (t.kind === "word" && t.text !== "type") names.push(t.text);
    else if (t.text === "=") break; // import x = require("…"): x was pushed
  }
  return j + 1;
}

function nextSignificant(tokens: Token[], k: number): Token | undefined {
  for (let j = k + 1; j < tokens.length; j++) if (tokens[j]!.kind !== "newline") return tokens[j];
  return undefined;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
