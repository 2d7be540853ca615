// The engine's contract with its host. Everything here is plain JSON: the host stores the session
// as it is, performs the events, and hands the outbound messages to a channel.

export interface ChannelCapabilities {
  /** Characters (UTF-16 units) per message: 70 for SMS (UCS-2), ~600 for WeChat or the web. */
  textBudget: number;
  /** Options shown at once before "9 更多" (SMS: 5). 9 and 0 are reserved, so at most 8 are used. */
  maxMenuOptions: number;
  /** True on SMS: the sender's number is the phone, never ask for it. */
  knowsPhone: boolean;
}

export interface Inbound {
  /** What the user typed (already decoded; may be empty for events). */
  text: string;
  /** ISO time of the message: the engine's only clock. */
  at: string;
  /** E.164, when the channel knows it. */
  phone?: string;
  event?: "subscribe" | "unsubscribe" | "menu";
  /** For menu clicks. */
  eventKey?: string;
}

export interface MenuOption {
  key: string;
  label: string;
}

export type Outbound =
  | { kind: "text"; text: string }
  | {
      kind: "question";
      text: string;
      options?: MenuOption[];
      /** 0-based page of `options` to show; pages hold capabilities.maxMenuOptions options. */
      page?: number;
      /** Show the "0 返回" hint: there is a previous step to go back to. */
      canGoBack?: boolean;
    }
  | { kind: "notice"; text: string };

// ---------------------------------------------------------------------------------------------------
// Domain values (the English names of ../../../shared/domain.md)

export type PovertyStatus = "registered" | "lifted" | "monitored" | "none" | "unknown";
export type WelfareCategory = "minimumLivingAllowance" | "extremeHardship" | "disability";
export type WorkRange = "homeCounty" | "province" | "anywhere";
export type Sex = "female" | "male";

/** What worker_registered carries. The ID number is in clear: the host encrypts it. */
export interface RegistrationProfile {
  name: string;
  idNumber: string;
  birthDate: string; // YYYY-MM-DD
  sex: Sex;
  phone: string; // E.164
  /** The village (or the deepest level the reference data has). */
  homeRegionCode: string;
  /** County, township and village names, e.g. 云霄县莆美镇莆东村: for display only. */
  homeRegionName: string;
  povertyStatus: PovertyStatus;
  categories: WelfareCategory[];
  /** Occupation codes (e.g. 4-10-01-06), in the worker's order. */
  wishedOccupations: string[];
  workRange: WorkRange;
  wageFloor: number; // yuan per month
  wantsTraining: boolean;
  trainingWish: string | null;
}

/** A registered worker as the host knows them: personal numbers arrive already masked. */
export interface RegisteredProfile extends Omit<RegistrationProfile, "idNumber" | "phone"> {
  idNumberMasked: string;
  phoneMasked: string | null;
}

export type DomainEvent =
  | { type: "consent_given"; purpose: "data_processing"; wording: string }
  | { type: "worker_registered"; profile: RegistrationProfile }
  | { type: "human_requested"; step: string; note?: string }
  | { type: "opted_out" }
  | { type: "opted_in" }
  | { type: "employer_flow_requested" }
  /** A registered worker asked for jobs (the job flow belongs to a later issue). */
  | { type: "jobs_requested" }
  | { type: "profile_shown" }
  | { type: "profile_field_changed"; field: keyof RegistrationProfile; value: unknown };

// ---------------------------------------------------------------------------------------------------
// Session

export type StepId =
  | "purpose"
  | "consent"
  | "name"
  | "idNumber"
  | "phone"
  | "county"
  | "countyChoice"
  | "township"
  | "village"
  | "povertyStatus"
  | "categories"
  | "occupations"
  | "occupationConfirm"
  | "workRange"
  | "wageFloor"
  | "training"
  | "summary"
  | "editField"
  | "editConfirm"
  | "home";

/** The profile fields a worker can change, each asked by one or more steps. */
export type EditableField =
  | "name"
  | "idNumber"
  | "phone"
  | "homeRegion"
  | "poverty"
  | "occupations"
  | "workRange"
  | "wageFloor"
  | "training";

export interface RegionChoice {
  code: string;
  name: string;
  parentName?: string;
}

export interface Occupation {
  code: string;
  name: string;
}

/** The answers collected so far. */
export interface Answers {
  consent?: boolean;
  name?: string;
  idNumber?: string;
  birthDate?: string;
  sex?: Sex;
  phone?: string;
  county?: RegionChoice;
  township?: RegionChoice;
  village?: RegionChoice;
  povertyStatus?: PovertyStatus;
  categories?: WelfareCategory[];
  wishedOccupations?: Occupation[];
  workRange?: WorkRange;
  wageFloor?: number;
  wantsTraining?: boolean;
  trainingWish?: string | null;
}

/** State of the step being asked: cleared when the step changes. */
export interface Scratch {
  /** Page of the step's menu being shown. */
  page?: number;
  /** County step: what the worker typed and the counties it may name, to choose from. */
  countyQuery?: string;
  countyCandidates?: RegionChoice[];
  /** Job step: the occupations a typed job title may name, best first; the first is confirmed
   * with 对/不对 unless the worker already said 不对 and is choosing among all of them. */
  occupationCandidates?: Occupation[];
  occupationChoosing?: boolean;
  /** Where 修改 returns once the field is re-answered, and (there) which field it was. */
  editReturn?: "summary" | "editConfirm";
  editedField?: EditableField;
}

/** Where the conversation stands; the history keeps earlier ones so that 返回 can restore them. */
export interface Position {
  step: StepId;
  answers: Answers;
  scratch: Scratch;
  /** Set while the worker re-answers one field (修改): the flow returns instead of going on. */
  editing?: { field: EditableField; returnTo: "summary" | "editConfirm" };
}

export interface Session extends Position {
  version: 1;
  history: Position[];
  /** Wrong answers in a row at this step. */
  mistakes: number;
  /** The `at` of the last inbound message. */
  lastAt: string;
  optedOut: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Host-provided reference data and the engine's entry points

export interface Lookups {
  /** Regions whose name matches the text, anywhere in the country (or under parentCode), best first. */
  findRegions(
    text: string,
    options: { parentCode?: string; level: 3 | 4 | 5; limit: number },
  ): Promise<{ code: string; name: string; parentName?: string }[]>;
  childrenOf(parentCode: string): Promise<{ code: string; name: string }[]>;
}

export interface EngineContext {
  capabilities: ChannelCapabilities;
  lookups: Lookups;
  /** When the user is already a registered worker (for 我的信息 and 修改). */
  registered?: RegisteredProfile;
}

export interface TurnResult {
  session: Session;
  replies: Outbound[];
  events: DomainEvent[];
}
