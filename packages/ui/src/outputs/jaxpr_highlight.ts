// Light syntax highlighting for jaxprs in JAX's printed form (DESIGN §4): keywords (lambda, let,
// in), binders and their types (a:f32[3]), primitive names, parameters (k=v) and typed literals.
// A tokenizer, not a parser: the text is shown exactly as printed, only wrapped in spans.

export type JaxprTokenKind = "keyword" | "var" | "type" | "primitive" | "param" | "literal" | "punct" | "space" | "text";

export interface JaxprToken {
  kind: JaxprTokenKind;
  text: string;
}

const TOKEN =
  /(\s+)|(\b(?:lambda|let|in)\b)|((?:bool|[fiu](?:8|16|32|64)|bf16|c64|c128|key<\w+>)\[[\d,\s]*\])|(-?(?:\d+\.?\d*(?:e[+-]?\d+)?|inf|nan)(?=:))|([A-Za-z_][\w.]*)|([{}()[\];:.,=|*]|\S)/gy;

export function tokenizeJaxpr(text: string): JaxprToken[] {
  const tokens: JaxprToken[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text)) !== null) {
    const [whole, space, keyword, type, literal, ident] = m;
    const next = text[TOKEN.lastIndex];
    if (space) tokens.push({ kind: "space", text: whole });
    else if (keyword) tokens.push({ kind: "keyword", text: whole });
    else if (type) tokens.push({ kind: "type", text: whole });
    else if (literal) tokens.push({ kind: "literal", text: whole });
    else if (ident) {
      const prev = lastSignificant(tokens);
      if (next === ":") tokens.push({ kind: "var", text: whole });
      else if (next === "=" && text[TOKEN.lastIndex + 1] !== "=") tokens.push({ kind: "param", text: whole });
      else if (prev?.text === "=" || (prev?.kind === "keyword" && prev.text === "let" && next !== ":")) tokens.push({ kind: "primitive", text: whole });
      else if (/^(True|False|None)$/.test(whole)) tokens.push({ kind: "literal", text: whole });
      else tokens.push({ kind: "var", text: whole });
    } else tokens.push({ kind: "punct", text: whole });
  }
  return tokens;
}

function lastSignificant(tokens: JaxprToken[]): JaxprToken | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]!.kind !== "space") return tokens[i];
  return undefined;
}
