// A place's administrative ending, which people leave off when they say its name (云霄县 → 云霄,
// 莆美镇 → 莆美, 中柱村委会 → 中柱): one list for the chat's menus, the look-ups and the roster.
export const ADMINISTRATIVE_SUFFIX =
  /(村民委员会|居民委员会|村委会|居委会|委员会|街道办事处|街道|社区|苏木|自治县|自治旗|林区|特区|新区|县|区|市|旗|镇|乡|村)$/u;

/** A name as people say it without its administrative ending, when two characters are left; spaces and punctuation gone. */
export function nameWithoutSuffix(name: string): string {
  const compact = name.replace(/[\s\p{P}]/gu, "");
  const stripped = compact.replace(ADMINISTRATIVE_SUFFIX, "");
  return stripped.length >= 2 ? stripped : compact;
}
