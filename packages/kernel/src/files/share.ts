// Share links (DESIGN.md §6): `#nb=1.` + base64url(deflate-raw(JSON of the cells' sources)) in the
// URL fragment, never the query. Links above ~8 KB come with a warning (some chat apps cut them),
// above ~1 MB encoding refuses (offer a file instead). Decoding never guesses: a corrupt, cut-off
// or newer-version link is a ShareLinkError with a message a person can act on.
import { deflateSync, Inflate, strFromU8, strToU8 } from "fflate";
import type { CellType } from "./ipynb.js";

export const SHARE_VERSION = 1;
export const SHARE_PREFIX = `#nb=${SHARE_VERSION}.`;
/** Above this many characters a link still works but may be cut by the apps it is pasted into. */
export const SHARE_WARN_CHARS = 8 * 1024;
/** Above this many characters Kiln refuses to make a link (browsers and servers stop around here). */
export const SHARE_MAX_CHARS = 1024 * 1024;
/** Most bytes a link may expand to (a guard against a crafted link that inflates without end). */
const MAX_DECODED_BYTES = 32 * 1024 * 1024;

export interface SharedCell {
  cell_type: CellType;
  source: string;
}

export type ShareErrorKind = "not-a-link" | "version" | "corrupt" | "truncated" | "too-large";

export class ShareLinkError extends Error {
  constructor(
    readonly kind: ShareErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ShareLinkError";
  }
}

export interface EncodedLink {
  /** The fragment, `#nb=1.…`. */
  fragment: string;
  /** Set when the link is long enough that some apps may cut it. */
  warning?: string;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_INDEX[B64URL.charCodeAt(i)] = i;

export function base64urlEncode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += B64URL[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

export function base64urlDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new ShareLinkError("truncated", "This share link is incomplete: it was probably cut off when it was copied. Ask for the whole link, or for the .ipynb file.");
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64URL_INDEX[c] : -1;
    if (v < 0) throw new ShareLinkError("corrupt", `This share link is corrupt: it contains ${JSON.stringify(text[i])} at position ${i + 1}, which a Kiln link never has.`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

/** Make the fragment for these cells (sources only: outputs never travel in links). */
export function encodeShareLink(cells: readonly SharedCell[]): EncodedLink {
  const json = JSON.stringify({ cells: cells.map((c) => ({ cell_type: c.cell_type, source: c.source })) });
  const fragment = SHARE_PREFIX + base64urlEncode(deflateSync(strToU8(json), { level: 9 }));
  if (fragment.length > SHARE_MAX_CHARS) {
    throw new ShareLinkError(
      "too-large",
      `This notebook is too large for a link (${(fragment.length / 1e6).toFixed(1)} MB once compressed; the limit is 1 MB). Download it as an .ipynb file and share the file instead.`,
    );
  }
  const warning =
    fragment.length > SHARE_WARN_CHARS
      ? `This link is ${Math.round(fragment.length / 1024)} KB long; some apps cut links above 8 KB. If it arrives broken, share the .ipynb file instead.`
      : undefined;
  return warning ? { fragment, warning } : { fragment };
}

/** Read the cells of a share link: a whole URL, a fragment (`#nb=1.…`) or `nb=1.…`. */
export function decodeShareLink(link: string): SharedCell[] {
  const hash = link.includes("#") ? link.slice(link.indexOf("#") + 1) : link;
  const m = /^nb=([^.]*)\.(.*)$/s.exec(hash.trim());
  if (m === null) throw new ShareLinkError("not-a-link", "This is not a Kiln share link: a link to a notebook has #nb=1. in it.");
  const [, version, payload] = m;
  if (!/^\d+$/.test(version)) throw new ShareLinkError("corrupt", `This share link is corrupt: its version ${JSON.stringify(version)} is not a number.`);
  if (Number(version) !== SHARE_VERSION) {
    const newer = Number(version) > SHARE_VERSION;
    throw new ShareLinkError(
      "version",
      newer
        ? `This link was made by a newer version of Kiln (link format ${version}); this version reads format ${SHARE_VERSION}. Open it with the latest Kiln.`
        : `This link uses link format ${version}, which Kiln no longer reads.`,
    );
  }
  if (payload.length > SHARE_MAX_CHARS) throw new ShareLinkError("too-large", "This share link is longer than 1 MB, more than Kiln reads from a link.");
  if (payload.length === 0) throw new ShareLinkError("truncated", "This share link is incomplete: it ends right after #nb=1. — it was probably cut off when it was copied.");
  const bytes = inflateLimited(base64urlDecode(payload));
  let parsed: unknown;
  try {
    parsed = JSON.parse(strFromU8(bytes));
  } catch {
    throw new ShareLinkError("corrupt", "This share link is corrupt: it decompresses, but not to a notebook.");
  }
  const cells = (parsed as { cells?: unknown })?.cells;
  const ok =
    Array.isArray(cells) &&
    cells.every(
      (c) => typeof c === "object" && c !== null && typeof c.source === "string" && (c.cell_type === "code" || c.cell_type === "markdown" || c.cell_type === "raw"),
    );
  if (!ok) throw new ShareLinkError("corrupt", "This share link is corrupt: it does not hold a list of notebook cells.");
  return (cells as SharedCell[]).map((c) => ({ cell_type: c.cell_type, source: c.source }));
}

function inflateLimited(data: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate();
  inflater.ondata = (chunk) => {
    total += chunk.length;
    if (total > MAX_DECODED_BYTES) throw new ShareLinkError("too-large", "This share link expands to more than 32 MB, more than a notebook link may hold.");
    chunks.push(chunk);
  };
  try {
    inflater.push(data, true);
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    const message = (e as Error).message;
    if (/unexpected EOF/i.test(message)) {
      throw new ShareLinkError("truncated", "This share link is incomplete: it was probably cut off when it was copied. Ask for the whole link, or for the .ipynb file.");
    }
    throw new ShareLinkError("corrupt", `This share link is corrupt: its data does not decompress (${message}).`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
