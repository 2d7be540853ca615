// What the eligibility rules may ask about a worker, close to the database's Worker so the service
// maps one to the other field by field. Every fact may be null or missing: the evaluator answers
// "needsInfo" only when the missing fact could change the answer.

export const POVERTY_STATUSES = ["registered", "lifted", "monitored", "none", "unknown"] as const;
export type PovertyStatus = (typeof POVERTY_STATUSES)[number];

/**
 * The welfare and assistance categories the policy texts name. The database keeps categories as
 * free strings; the rule language only accepts these, so a typo in a policy document is refused.
 */
export const CATEGORIES = [
  "minimumLivingAllowance", // 低保对象
  "extremeHardship", // 特困人员
  "disability", // 残疾人
  "severeDisability", // 重度残疾人 (004 names them for pension contributions)
  "schoolLeaver", // 两后生
  "carer", // 要照顾家人，不能外出
  "weakLabour", // 弱劳力、半劳力; a coordinator also tags a worker the market cannot place
  "returnedToPoverty", // 返贫致贫人口
  "returningMigrant", // 返乡下乡创业的农民工
] as const;
export type Category = (typeof CATEGORIES)[number];

export const EMPLOYMENT_STATUSES = [
  "seeking",
  "employedLocal",
  "employedInProvince",
  "employedOutOfProvince",
  "selfEmployed",
  "notSeeking",
] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

/** Where the worker works, seen from the home county: the transport subsidy turns on this. */
export const WORKPLACES = ["none", "homeCounty", "outOfCountyInProvince", "outOfProvince"] as const;
export type Workplace = (typeof WORKPLACES)[number];

/**
 * The school a worker finished (or finishes this year). The graduate subsidies name school kinds,
 * not levels: a technical school's senior-worker class qualifies where its ordinary class does not.
 */
export const EDUCATIONS = [
  "primaryOrBelow", // 小学及以下
  "juniorHigh", // 初中
  "seniorHigh", // 普通高中
  "secondaryVocational", // 中专、职高
  "technicalSchool", // 技工院校（中级工班）
  "technicalSeniorWorker", // 技工院校高级工班
  "technicianPrep", // 技工院校预备技师班
  "specialEducationVocational", // 特殊教育院校职业教育类
  "college", // 高校：大专、本科及以上
] as const;
export type Education = (typeof EDUCATIONS)[number];

export type Sex = "female" | "male";

/** A calendar date: "YYYY-MM-DD", or a Date (a database date column is midnight UTC). */
export type DateLike = string | Date;

export interface WorkerProfile {
  birthDate?: DateLike | null;
  sex?: Sex | null;
  povertyStatus?: PovertyStatus | null;
  /** Category names (see CATEGORIES); unknown names are ignored. An empty list means "none of them". */
  categories?: readonly string[] | null;
  /** Village code (12 digits) or the deepest level known: province = 2 digits, city 4, county 6. */
  homeRegionCode?: string | null;
  employmentStatus?: EmploymentStatus | null;
  /** Where the current job is; more precise than employmentStatus when both are known. */
  employedRegionCode?: string | null;
  graduationYear?: number | null;
  education?: Education | null;
  pensionEnrolled?: boolean | null;
  wantsTraining?: boolean | null;
  /** Enrolled in a course now (a TrainingEnrolment still "enrolled"). */
  trainingEnrolled?: boolean | null;
  /** Courses finished with a certificate (结业证书, 职业资格证书, 技能等级证书 or 专项能力证书): a count or yes/no. */
  trainingCompleted?: boolean | number | null;
  startingBusiness?: boolean | null;
  /** The job outside the home county came through organised labour export (a public office or a labour broker). */
  organisedLabourExport?: boolean | null;
  /** Someone in the worker's household (the worker or a child) is a technical-school student. */
  householdTechnicalSchoolStudent?: boolean | null;
}

/** The facts a condition can test; some are derived (age, workplace) from several profile fields. */
export const FACTS = [
  "povertyStatus",
  "categories",
  "age",
  "sex",
  "homeRegion",
  "employmentStatus",
  "workplace",
  "graduationYear",
  "education",
  "pensionEnrolled",
  "wantsTraining",
  "trainingEnrolled",
  "trainingCompleted",
  "startingBusiness",
  "organisedLabourExport",
  "householdTechnicalSchoolStudent",
] as const;
export type Fact = (typeof FACTS)[number];

/** The fact a needsInfo asks for, as the profile field to fill in. */
export const PROFILE_FIELD_OF_FACT: Record<Fact, keyof WorkerProfile> = {
  povertyStatus: "povertyStatus",
  categories: "categories",
  age: "birthDate",
  sex: "sex",
  homeRegion: "homeRegionCode",
  employmentStatus: "employmentStatus",
  workplace: "employmentStatus",
  graduationYear: "graduationYear",
  education: "education",
  pensionEnrolled: "pensionEnrolled",
  wantsTraining: "wantsTraining",
  trainingEnrolled: "trainingEnrolled",
  trainingCompleted: "trainingCompleted",
  startingBusiness: "startingBusiness",
  organisedLabourExport: "organisedLabourExport",
  householdTechnicalSchoolStudent: "householdTechnicalSchoolStudent",
};

// ---------------------------------------------------------------------------------------------- dates

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * "Today" is a day in China (UTC+8): a Date or an ISO time ("2026-06-14T16:30:00Z", the engine's
 * clock) is read in China time, a bare "YYYY-MM-DD" as written. Birth dates use `asStoredDate`,
 * since the database keeps them as midnight UTC.
 */
export function chinaDate(today: DateLike): CalendarDate {
  if (typeof today === "string" && DATE_PATTERN.test(today)) return parseDateString(today);
  const instant = typeof today === "string" ? new Date(today) : today;
  if (Number.isNaN(instant.getTime())) throw new Error(`not a date or time: ${String(today)}`);
  const china = new Date(instant.getTime() + CHINA_OFFSET_MS);
  return { year: china.getUTCFullYear(), month: china.getUTCMonth() + 1, day: china.getUTCDate() };
}

function asStoredDate(date: DateLike): CalendarDate {
  if (typeof date === "string") return parseDateString(date);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function parseDateString(text: string): CalendarDate {
  const match = DATE_PATTERN.exec(text.slice(0, 10));
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${text}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** Whole years (周岁) on `today`. */
export function ageOn(birthDate: DateLike, today: DateLike): number {
  const birth = asStoredDate(birthDate);
  const on = chinaDate(today);
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}

// --------------------------------------------------------------------------------- derived facts

const isKnown = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/**
 * Where the worker works, from the home and job region codes when both are known (county = the
 * first 6 digits, province the first 2), else from the employment status. A self-employed worker
 * without a job region is unknown: a shop can be at home or in a city far away.
 */
export function workplaceOf(profile: WorkerProfile): Workplace | undefined {
  const status = profile.employmentStatus;
  if (status === "seeking" || status === "notSeeking") return "none";
  const home = profile.homeRegionCode;
  const job = profile.employedRegionCode;
  if (isKnown(status) && home && job && home.length >= 2 && job.length >= 2) {
    if (home.slice(0, 2) !== job.slice(0, 2)) return "outOfProvince";
    if (home.length >= 6 && job.length >= 6) return home.slice(0, 6) === job.slice(0, 6) ? "homeCounty" : "outOfCountyInProvince";
  }
  switch (status) {
    case "employedLocal":
      return "homeCounty";
    case "employedInProvince":
      return "outOfCountyInProvince";
    case "employedOutOfProvince":
      return "outOfProvince";
    default:
      return undefined;
  }
}

/** Trainings finished with a certificate, as a count; yes/no counts as 1/0. */
export function completedTrainings(profile: WorkerProfile): number | undefined {
  const completed = profile.trainingCompleted;
  if (!isKnown(completed)) return undefined;
  return typeof completed === "number" ? completed : completed ? 1 : 0;
}

// ------------------------------------------------------------------------------ words for reasons

export const POVERTY_WORDS: Record<PovertyStatus, string> = {
  registered: "建档立卡贫困户",
  lifted: "脱贫户",
  monitored: "防止返贫监测户",
  none: "非贫困户",
  unknown: "情况不明",
};

export const CATEGORY_WORDS: Record<Category, string> = {
  minimumLivingAllowance: "低保对象",
  extremeHardship: "特困人员",
  disability: "残疾人",
  severeDisability: "重度残疾人",
  schoolLeaver: "两后生",
  carer: "要照顾家人的人",
  weakLabour: "弱劳力、半劳力",
  returnedToPoverty: "返贫致贫人口",
  returningMigrant: "返乡创业人员",
};

export const EMPLOYMENT_WORDS: Record<EmploymentStatus, string> = {
  seeking: "正在找工作",
  employedLocal: "在本县上班",
  employedInProvince: "在省内县外上班",
  employedOutOfProvince: "在外省上班",
  selfEmployed: "自己做生意",
  notSeeking: "暂时不找工作",
};

export const WORKPLACE_WORDS: Record<Workplace, string> = {
  none: "还没有工作",
  homeCounty: "在本县",
  outOfCountyInProvince: "在省内县外",
  outOfProvince: "在外省",
};

export const EDUCATION_WORDS: Record<Education, string> = {
  primaryOrBelow: "小学及以下",
  juniorHigh: "初中",
  seniorHigh: "高中",
  secondaryVocational: "中专或职高",
  technicalSchool: "技工院校",
  technicalSeniorWorker: "技工院校高级工班",
  technicianPrep: "技工院校预备技师班",
  specialEducationVocational: "特殊教育院校职业教育类",
  college: "高校（大专及以上）",
};

export const SEX_WORDS: Record<Sex, string> = { female: "女性", male: "男性" };
