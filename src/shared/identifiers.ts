// Chinese identifiers: resident ID numbers (GB 11643), mobile numbers, and employers' unified
// social credit codes (GB 32100). Pure functions, shared by the engine and the services.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

export interface ResidentId {
  /** 18 characters, upper-case X */
  number: string;
  birthDate: string; // YYYY-MM-DD
  sex: "female" | "male";
  /** the 6-digit area code at issue (may be an abolished one: old IDs keep it) */
  areaCode: string;
}

export type ResidentIdProblem = "format" | "birth_date" | "check_digit";

const idCheckChar = (first17: string) =>
  ID_CHECK[[...first17].reduce((sum, digit, i) => sum + Number(digit) * ID_WEIGHTS[i]!, 0) % 11]!;

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Accepts 18-digit IDs (lower-case x too) and the old 15-digit ones (converted to 18). */
export function parseResidentId(raw: string, today = new Date()): ResidentId | { problem: ResidentIdProblem } {
  let id = raw.replace(/\s/g, "").toUpperCase();
  if (/^\d{15}$/.test(id)) {
    const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
    id = first17 + idCheckChar(first17);
  }
  if (!/^\d{17}[\dX]$/.test(id)) return { problem: "format" };
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || !validDate(year, month, day) || Date.UTC(year, month - 1, day) > today.getTime()) {
    return { problem: "birth_date" };
  }
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return { problem: "check_digit" };
  return {
    number: id,
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? "male" : "female",
    areaCode: id.slice(0, 6),
  };
}

/** Whole years between a YYYY-MM-DD birth date and `on`. */
export function ageOn(birthDate: string, on: Date): number {
  const [year, month, day] = birthDate.split("-").map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - year;
  if (on.getUTCMonth() + 1 < month || (on.getUTCMonth() + 1 === month && on.getUTCDate() < day)) age -= 1;
  return age;
}

/** Chinese mobile numbers: strips +86 / 0086, spaces and dashes; returns E.164 (+86…) or null. */
export function normalizeMobile(raw: string): string | null {
  // 全角 digits (１３９…) are the same number, wherever it was typed (a sign-in, an operator's form).
  const digits = raw.normalize("NFKC").replace(/[\s-]/g, "").replace(/^(\+86|0086)/, "");
  return /^1[3-9]\d{9}$/.test(digits) ? `+86${digits}` : null;
}

const CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Unified social credit code (GB 32100): 18 characters, the last one a check character. */
export function isValidCreditCode(raw: string): boolean {
  const code = raw.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  const sum = [...code.slice(0, 17)].reduce((total, char, i) => total + CREDIT_ALPHABET.indexOf(char) * CREDIT_WEIGHTS[i]!, 0);
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31] === code[17];
}

/** A region code at any level: province (2 digits), city (4), county (6), township (9), village (12). */
export const REGION_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

/** A county's name as people write it without its suffix: 肥西县 → 肥西, 个旧市 → 个旧, 石林彝族自治县 → 石林彝族. */
export const countyWithoutSuffix = (name: string): string => name.replace(/(自治县|县|区|市)$/, "");

/** Where someone lives: a county, township or village code. */
export const PLACE_CODE = /^(\d{6}|\d{9}|\d{12})$/;

/**
 * A region code as other systems write it, padded with zeros to a deeper level's length (340100 or
 * 340100000000 for 合肥市, 340000 for 安徽省), made the code itself. No real code ends in a zero
 * group: counties are 01–99 within a city, townships and villages 001–999.
 */
export function unpaddedRegionCode(code: string): string {
  let unpadded = code;
  if (unpadded.length === 12 && unpadded.endsWith("000")) unpadded = unpadded.slice(0, 9);
  if (unpadded.length === 9 && unpadded.endsWith("000")) unpadded = unpadded.slice(0, 6);
  if (unpadded.length === 6 && unpadded.endsWith("00")) unpadded = unpadded.slice(0, 4);
  if (unpadded.length === 4 && unpadded.endsWith("00")) unpadded = unpadded.slice(0, 2);
  return unpadded;
}
