// A worker's profile in the engine's two shapes (answers being collected, a registered worker from
// the host) and the one way both are shown: masked, one short line per field.
import { wishName } from "./wished-work.ts";
import { ageOn } from "../shared/identifiers.ts";
import { maskIdNumber, maskPhone } from "../shared/masking.ts";
import type {
  Answers,
  EditableField,
  PovertyStatus,
  RegisteredProfile,
  RegistrationProfile,
  Sex,
  WelfareCategory,
  WorkRange,
} from "./types.ts";

/** What is shown of a profile: personal numbers already masked, codes already named. */
export interface ProfileView {
  name?: string;
  idNumberMasked?: string;
  birthDate?: string;
  sex?: Sex;
  phoneMasked?: string | null;
  homeRegionName?: string;
  povertyStatus?: PovertyStatus;
  categories?: WelfareCategory[];
  occupationNames?: string[];
  workRange?: WorkRange;
  wageFloor?: number;
  wantsTraining?: boolean;
  trainingWish?: string | null;
}

/** The fields in the order a profile is shown and offered for 修改, with their names. */
export const FIELD_LABELS: Record<EditableField, string> = {
  name: "姓名",
  idNumber: "身份证",
  phone: "电话",
  homeRegion: "住址",
  poverty: "家庭情况",
  occupations: "想做的工作",
  workRange: "工作地点",
  wageFloor: "最低月薪",
  training: "培训",
};
const FIELDS = Object.keys(FIELD_LABELS) as EditableField[];

/** The profile keys each field sets: what profile_field_changed reports after a 修改. */
const FIELD_KEYS: Record<EditableField, (keyof RegistrationProfile)[]> = {
  name: ["name"],
  idNumber: ["idNumber", "birthDate", "sex"],
  phone: ["phone"],
  homeRegion: ["homeRegionCode", "homeRegionName"],
  poverty: ["povertyStatus", "categories"],
  occupations: ["wishedOccupations"],
  workRange: ["workRange"],
  wageFloor: ["wageFloor"],
  training: ["wantsTraining", "trainingWish"],
};

const POVERTY_TEXT: Record<PovertyStatus, string> = {
  registered: "建档立卡户(未脱贫)",
  lifted: "已脱贫",
  monitored: "监测对象",
  none: "不是建档立卡户",
  unknown: "不清楚(协理员补填)",
};
const CATEGORY_TEXT: Record<WelfareCategory, string> = {
  minimumLivingAllowance: "低保",
  extremeHardship: "特困",
  disability: "残疾",
};
const WORK_RANGE_TEXT: Record<WorkRange, string> = { homeCounty: "只在本县", province: "本省都行", anywhere: "外省也行" };

export function regionName(answers: Answers): string | undefined {
  const { county, township, village } = answers;
  return county && [county, township, village].map((region) => region?.name ?? "").join("");
}

export function viewOfAnswers(answers: Answers): ProfileView {
  return {
    name: answers.name,
    idNumberMasked: answers.idNumber && maskIdNumber(answers.idNumber),
    birthDate: answers.birthDate,
    sex: answers.sex,
    phoneMasked: answers.phone && maskPhone(answers.phone),
    homeRegionName: regionName(answers),
    povertyStatus: answers.povertyStatus,
    categories: answers.categories,
    occupationNames: answers.wishedOccupations?.map((occupation) => occupation.name),
    workRange: answers.workRange,
    wageFloor: answers.wageFloor,
    wantsTraining: answers.wantsTraining,
    trainingWish: answers.trainingWish,
  };
}

export function viewOfRegistered(profile: RegisteredProfile): ProfileView {
  return {
    ...profile,
    occupationNames: profile.wishedOccupations.map(wishName),
  };
}

/** The lines showing one field; none when the view lacks it. */
export function fieldLines(view: ProfileView, field: EditableField, on: Date): string[] {
  const line = (value: string | undefined) => (value ? [`${FIELD_LABELS[field]}：${value}`] : []);
  switch (field) {
    case "name":
      return line(view.name);
    case "idNumber": {
      const { idNumberMasked, birthDate, sex } = view;
      const about = birthDate && sex ? `（${sex === "male" ? "男" : "女"}，${ageOn(birthDate, on)}岁）` : "";
      return line(idNumberMasked && idNumberMasked + about);
    }
    case "phone":
      return line(view.phoneMasked ?? undefined);
    case "homeRegion":
      return line(view.homeRegionName);
    case "poverty": {
      const categories = (view.categories ?? []).map((category) => CATEGORY_TEXT[category]);
      return line(view.povertyStatus && [POVERTY_TEXT[view.povertyStatus], ...categories].join("，"));
    }
    case "occupations":
      // No wish named ("什么都行"): any work.
      return line(view.occupationNames && (view.occupationNames.join("、") || ANY_WORK));
    case "workRange":
      return line(view.workRange && WORK_RANGE_TEXT[view.workRange]);
    case "wageFloor":
      return line(view.wageFloor === undefined ? undefined : view.wageFloor > 0 ? `${view.wageFloor}元` : "不限");
    case "training":
      if (view.wantsTraining === undefined) return [];
      return line(view.wantsTraining ? (view.trainingWish ? `想学${view.trainingWish}` : "想参加") : "不想参加");
  }
}

/** How a wish for any work reads back. */
export const ANY_WORK = "什么都行";

export function profileLines(view: ProfileView, on: Date): string[] {
  return FIELDS.flatMap((field) => fieldLines(view, field, on));
}

/** The profile keys the answers so far determine. */
function profileEntries(answers: Answers): Partial<RegistrationProfile> {
  const region = answers.village ?? answers.township ?? answers.county;
  return {
    name: answers.name,
    idNumber: answers.idNumber,
    birthDate: answers.birthDate,
    sex: answers.sex,
    phone: answers.phone,
    homeRegionCode: region?.code,
    homeRegionName: regionName(answers),
    povertyStatus: answers.povertyStatus,
    // Categories are not asked of households outside the poverty registry.
    categories: answers.categories ?? (answers.povertyStatus ? [] : undefined),
    wishedOccupations: answers.wishedOccupations?.map((occupation) => occupation.code),
    workRange: answers.workRange,
    wageFloor: answers.wageFloor,
    wantsTraining: answers.wantsTraining,
    trainingWish: answers.wantsTraining === undefined ? undefined : (answers.trainingWish ?? null),
  };
}

/** The complete profile at the end of registration; the flow asks every field before the summary. */
export function profileOf(answers: Answers): RegistrationProfile {
  const entries = profileEntries(answers);
  const missing = FIELDS.flatMap((field) => FIELD_KEYS[field]).filter((key) => entries[key] === undefined);
  if (missing.length > 0) throw new Error(`registration is missing ${missing.join(", ")}`);
  return entries as RegistrationProfile;
}

/** The keys one re-answered field changes, with their new values. */
export function fieldChanges(answers: Answers, field: EditableField) {
  const entries = profileEntries(answers);
  return FIELD_KEYS[field].map((key) => ({ field: key, value: entries[key] }));
}
