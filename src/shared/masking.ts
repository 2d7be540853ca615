// How personal numbers are shown: masked. Pure functions with no runtime imports, so the
// conversation engine can use them too.

/** 350622199001011234 → 350622********1234: region and the last four stay, birth date goes. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return "*".repeat(id.length);
  return `${id.slice(0, 6)}${"*".repeat(id.length - 10)}${id.slice(-4)}`;
}

/** +8613812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+86/, "");
  if (digits.length < 7) return "*".repeat(digits.length);
  return `${digits.slice(0, 3)}${"*".repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** A channel address as operators see it: a phone masked, a WeChat openid or any other id cut short. */
export function maskAddress(address: string): string {
  if (/^\+?\d{7,}$/.test(address)) return maskPhone(address);
  return address.length <= 6 ? address : `${address.slice(0, 6)}…`;
}

// Anything that looks like a resident ID (18 or 15 characters) or a Chinese mobile number, wherever
// it appears in free text: logs and echoed messages must never carry them whole. People type them
// in groups ("110105 19491231 002X", "138-1234-5678") and in full-width digits, and the engine
// accepts all of those, so the patterns do too: full-width digits (and Ｘ, ＋, －, the ideographic
// space) are folded to ASCII first, and single spaces or dashes may separate the digits.
const gap = "[ \\-]?";
const idNumberPattern = new RegExp(`(?<![\\dA-Za-z])(?:\\d${gap}){17}[\\dXx](?![\\dA-Za-z])|(?<![\\dA-Za-z])(?:\\d${gap}){14}\\d(?![\\dA-Za-z])`, "g");
const mobilePattern = new RegExp(`(?<!\\d)(?:\\+?86${gap})?1${gap}[3-9](?:${gap}\\d){9}(?!\\d)`, "g");
/** Any other number in international form (+447700900123): Twilio's numbers, foreign workers'. */
const internationalPattern = /(?<![\dA-Za-z])\+(?!86)[1-9]\d{6,14}(?!\d)/g;
const digitsOf = (text: string) => text.replace(/[ -]/g, "");

const FULL_WIDTH = /[\uFF10-\uFF19\uFF38\uFF58\uFF0B\uFF0D\u3000]/g;
const toHalfWidth = (char: string) => (char === "\u3000" ? " " : String.fromCharCode(char.charCodeAt(0) - 0xfee0));

/** Replaces each match of `pattern` in the folded text, keeping the rest of the original as written. */
function maskMatches(original: string, pattern: RegExp, mask: (digits: string) => string): string {
  // The fold maps one UTF-16 unit to one, so positions in the folded text are positions in the original.
  const folded = original.replace(FULL_WIDTH, toHalfWidth);
  let out = "";
  let from = 0;
  for (const match of folded.matchAll(pattern)) {
    out += original.slice(from, match.index) + mask(digitsOf(match[0]));
    from = match.index + match[0].length;
  }
  return out + original.slice(from);
}

export function maskPersonalText(text: string): string {
  const withoutIds = maskMatches(text, idNumberPattern, maskIdNumber);
  const withoutMobiles = maskMatches(withoutIds, mobilePattern, (digits) => maskPhone(digits.replace(/^\+?86(?=1)/, "")));
  return maskMatches(withoutMobiles, internationalPattern, (number) => `${number.slice(0, 3)}${"*".repeat(number.length - 7)}${number.slice(-4)}`);
}

/** Does the text carry an ID or phone number (so that it must be stored sealed)? */
export const carriesPersonalData = (text: string) => maskPersonalText(text) !== text;

/** Deep copy of a log or API value with every string masked. */
export function maskDeep<T>(value: T): T {
  if (typeof value === "string") return maskPersonalText(value) as T;
  if (Array.isArray(value)) return value.map(maskDeep) as T;
  if (value instanceof Error) {
    // Errors keep their message and stack in non-enumerable fields: copy them out before masking.
    const { name, message, stack } = value;
    return maskDeep({ ...value, type: name, message, stack }) as T;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = maskDeep(inner);
    return out as T;
  }
  return value;
}
