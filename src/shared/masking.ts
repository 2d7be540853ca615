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

// Anything that looks like a resident ID (18 or 15 characters) or a Chinese mobile number, wherever
// it appears in free text: logs and echoed messages must never carry them whole.
const idNumberPattern = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])|(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])/g;
const mobilePattern = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)/g;

export function maskPersonalText(text: string): string {
  return text
    .replace(idNumberPattern, maskIdNumber)
    .replace(mobilePattern, (_match, head: string, tail: string) => `${head}****${tail}`);
}

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
