// Renders a markdown cell: the parsed tree as React elements (never as an HTML string), so
// nothing a cell contains can inject markup or script.
import { Fragment, useMemo, type ReactNode } from "react";
import { parseMarkdown, type Block, type Inline } from "./parse.js";

function inlines(nodes: readonly Inline[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.kind) {
      case "text":
        return <Fragment key={i}>{n.text}</Fragment>;
      case "code":
        return <code key={i}>{n.text}</code>;
      case "em":
        return <em key={i}>{inlines(n.children)}</em>;
      case "strong":
        return <strong key={i}>{inlines(n.children)}</strong>;
      case "del":
        return <del key={i}>{inlines(n.children)}</del>;
      case "link": {
        const external = /^(https?|mailto):/i.test(n.href);
        return (
          <a key={i} href={n.href} {...(external ? { target: "_blank", rel: "noopener noreferrer" } : {})}>
            {inlines(n.children)}
          </a>
        );
      }
      case "break":
        return <br key={i} />;
      default:
        return n satisfies never;
    }
  });
}

function blocks(nodes: readonly Block[]): ReactNode[] {
  return nodes.map((b, i) => {
    switch (b.kind) {
      case "heading": {
        const H = `h${b.level}` as const;
        return <H key={i}>{inlines(b.children)}</H>;
      }
      case "paragraph":
        return <p key={i}>{inlines(b.children)}</p>;
      case "code":
        return (
          <pre key={i} className="md-code" data-lang={b.lang || undefined}>
            <code>{b.text}</code>
          </pre>
        );
      case "list": {
        const items = b.items.map((item, j) => (
          // A list item of one paragraph renders tight, as most notebooks write lists.
          <li key={j}>{item.length === 1 && item[0]!.kind === "paragraph" ? inlines(item[0]!.children) : blocks(item)}</li>
        ));
        return b.ordered ? (
          <ol key={i} start={b.start === 1 ? undefined : b.start}>
            {items}
          </ol>
        ) : (
          <ul key={i}>{items}</ul>
        );
      }
      case "quote":
        return <blockquote key={i}>{blocks(b.children)}</blockquote>;
      case "rule":
        return <hr key={i} />;
      case "table":
        return (
          <table key={i}>
            <thead>
              <tr>
                {b.head.map((cell, j) => (
                  <th key={j} style={b.align[j] ? { textAlign: b.align[j]! } : undefined}>
                    {inlines(cell)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, j) => (
                    <td key={j} style={b.align[j] ? { textAlign: b.align[j]! } : undefined}>
                      {inlines(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      default:
        return b satisfies never;
    }
  });
}

export function Markdown({ source }: { source: string }) {
  const tree = useMemo(() => parseMarkdown(source), [source]);
  return <div className="markdown">{blocks(tree)}</div>;
}
