// How many messages a text costs. A text made only of GSM 03.38 characters travels as GSM-7
// (160 per message, 153 per part of a long one: the 7 others carry the reassembly header); any
// other character (Chinese, an emoji, a curly quote) switches the whole text to UCS-2 (70 UTF-16
// units, 67 per part). Operators never split a character across parts: a surrogate pair (emoji)
// or a GSM-7 escape pair that would straddle a boundary moves whole to the next part.

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsSegments {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 code units (UCS-2) */
  units: number;
  /** messages the operator bills; an empty text still costs one */
  segments: number;
}

/** GSM 03.38 basic character set (the escape code 0x1B itself excluded). */
const GSM7_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
/** GSM 03.38 extension table: each is sent as ESC + character, so it costs 2 septets. */
const GSM7_EXTENSION = new Set("\f^{}\\[~]|€");

const LIMITS: Record<SmsEncoding, { single: number; perPart: number }> = {
  "GSM-7": { single: 160, perPart: 153 },
  "UCS-2": { single: 70, perPart: 67 },
};

export function smsSegments(text: string): SmsSegments {
  const characters = [...text]; // code points: an emoji stays one piece
  const encoding: SmsEncoding = characters.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c)) ? "GSM-7" : "UCS-2";
  const costs = characters.map((c) => (encoding === "GSM-7" ? (GSM7_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { single, perPart } = LIMITS[encoding];
  return { encoding, units, segments: units <= single ? 1 : partsNeeded(costs, perPart) };
}

/** Greedy packing, as handsets and operators do it: a character that does not fit opens a new part. */
function partsNeeded(costs: number[], perPart: number): number {
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return parts;
}

/**
 * Does the text go out as one message? The provider prepends the sender's signature (【签名】)
 * on Chinese routes and the operator counts it: pass the signature name, with or without brackets.
 */
export function fitsOneSms(text: string, signature?: string): boolean {
  return smsSegments(withSignature(text, signature)).segments === 1;
}

/** The text as the handset shows it, signature first. */
export function withSignature(text: string, signature?: string): string {
  if (signature === undefined || signature === "") return text;
  const bracketed = signature.startsWith("【") && signature.endsWith("】") ? signature : `【${signature}】`;
  return bracketed + text;
}
