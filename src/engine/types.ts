// The engine's contract with its host. Everything here is plain JSON: the host stores the session
// as it is, performs the events, and hands the outbound messages to a channel.
import type { BenefitScratch, BenefitStep } from "./flows/benefit-questions.ts";
import type { EmployerHomeScratch, EmployerHomeStep } from "./flows/employer-home.ts";
import type { EmployerAnswers, EmployerRegistrationStep } from "./flows/employer-registration.ts";
import type { HomeStep } from "./flows/home.ts";
import type { JobSearchScratch, JobSearchStep } from "./flows/job-search.ts";
import type { PhoneLinkScratch, PhoneLinkStep } from "./flows/phone-link.ts";
import type { ProfileEditScratch, ProfileEditStep } from "./flows/profile-edit.ts";
import type { OccupationScratch, RegistrationAnswers, RegistrationStep } from "./flows/registration.ts";
import type { VacancyAnswers, VacancyPostingStep, VacancyTerms } from "./flows/vacancy-posting.ts";
import type { RegionScratch } from "./regions.ts";
import type { BenefitsView, ToldFact, ToldFacts } from "../policies/view.ts";
export type { BenefitsView, ToldFact, ToldFacts };

export interface ChannelCapabilities {
  /** Characters (UTF-16 units) per message: an SMS's 70 less the signature's room (src/shared/sms-text.ts), ~600 for WeChat. */
  textBudget: number;
  /** Options shown at once before "9 更多" (SMS: 5). 9 and 0 are reserved, so at most 8 are used. */
  maxMenuOptions: number;
  /** True on SMS: the sender's number is the phone, never ask for it. */
  knowsPhone: boolean;
  /** A turn's replies run together into as few texts as the budget holds: on SMS each text is a message paid for. */
  joinsReplies: boolean;
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
  | {
      kind: "notice";
      text: string;
      /**
       * What the records may say better (协理员林小燕会尽快给您打电话 for a generic 会打电话给您):
       * the host's fact of this kind, when there is one, is sent in this notice's place.
       */
      standsFor?: "coordinatorWillCall";
    };

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
  /** yuan per month; 0: any pay (不限) */
  wageFloor: number;
  wantsTraining: boolean;
  trainingWish: string | null;
}

/** What a person on the roster still tells us when they register: the roster knows who and where they are. */
export type RosterWishes = Pick<RegistrationProfile, "wishedOccupations" | "workRange" | "wageFloor" | "wantsTraining" | "trainingWish">;

/** A roster person the sender's proven phone belongs to (their own or their household's number). */
export interface RosterMatch {
  /** opaque: the host checks it against the sender's phone again when the registration comes back */
  key: string;
  name: string;
  /** e.g. 云霄县莆美镇莆东村 */
  placeName: string;
}

/** A registered worker as the host knows them: personal numbers arrive already masked. */
export interface RegisteredProfile extends Omit<RegistrationProfile, "idNumber" | "phone"> {
  idNumberMasked: string;
  phoneMasked: string | null;
}

export type DomainEvent =
  | { type: "consent_given"; purpose: "data_processing"; wording: string }
  | { type: "worker_registered"; profile: RegistrationProfile }
  /** A person on the county's roster said who they are (rosterKey, one of the context's rosterMatches) and what they want: the rest the roster knows. */
  | { type: "roster_worker_registered"; rosterKey: string; wishes: RosterWishes }
  /** Someone typed a roster person's name and ID number where the channel does not prove the phone: a code to the roster's phone, a wrong one, the right one. */
  | { type: "roster_code_requested"; rosterKey: string }
  | { type: "roster_code_failed"; rosterKey: string }
  | { type: "roster_code_confirmed"; rosterKey: string; code: string }
  /** regionCode, phone: what someone not yet registered has said so far, so that a coordinator there can call */
  /** `name`, `regionCode`, `phone`: what someone not yet registered has said so far, for the coordinator who calls */
  | { type: "human_requested"; step: string; note?: string; regionCode?: string; phone?: string; name?: string }
  | { type: "opted_out" }
  | { type: "opted_in" }
  /** 确认删除: the person's data is to be erased (consent withdrawn, pushes stopped, identity forgotten) */
  | { type: "erasure_requested" }
  | { type: "employer_flow_requested" }
  /** A registered worker asked for jobs; the jobs shown follow as jobs_shown. */
  | { type: "jobs_requested" }
  | { type: "jobs_shown"; vacancyIds: string[] }
  | { type: "job_applied"; vacancyId: string; source: "search" | "push" }
  | { type: "phone_share_answered"; vacancyId: string; share: boolean }
  /** feedback: what the ranking learns from it, kept for later searches */
  | { type: "job_declined"; vacancyId: string; reason: DeclineReason; feedback: JobFeedback }
  | { type: "employer_registered"; profile: EmployerRegistration }
  | { type: "vacancy_posted"; vacancy: VacancyDraft }
  | { type: "vacancy_closed"; vacancyId: string }
  | { type: "applicant_hired"; vacancyId: string; applicationId: string }
  /** The answer to a follow-up ("还在这里工作吗？"): the subject is the hire's application. */
  | { type: "follow_up_answered"; applicationId: string; stillWorking: boolean }
  | { type: "benefits_shown" }
  /** Answers to 补贴政策's questions (养老保险, 创业, 学历…), for the worker's record. */
  | { type: "benefit_facts_told"; facts: ToldFacts }
  /** A reply 1 to a training offer: enrol (the host says how it went). */
  | { type: "training_enrol_requested"; courseId: string }
  /** Linking this chat to the worker behind a phone number: send a code by SMS, a wrong code, the right one. */
  | { type: "phone_code_requested"; phone: string }
  | { type: "phone_code_failed"; phone: string }
  | { type: "phone_linked"; phone: string; code: string }
  | { type: "profile_shown" }
  | { type: "profile_field_changed"; field: keyof RegistrationProfile; value: unknown };

// ---------------------------------------------------------------------------------------------------
// Jobs, as the host shows them to the engine

/** One job in a list: one line that says what it is and why it fits. */
export interface JobLine {
  vacancyId: string;
  /** e.g. "保洁员·同乡镇·月薪2500·包住": one SMS line */
  line: string;
}

/** What a worker needs to know to decide on one job. */
export interface VacancyView {
  id: string;
  title: string;
  occupationCode: string | null;
  employerName: string | null;
  employerKind: EmployerKind | null;
  /** e.g. 云霄县莆美镇 */
  placeName: string | null;
  /** e.g. 月薪3000-4500 */
  payText: string | null;
  ageMin: number | null;
  ageMax: number | null;
  sex: SexRequirement;
  housing: boolean | null;
  meals: boolean | null;
  insurance: boolean | null;
  headcount: number | null;
  hours: string | null;
  /** what the employer asks beyond age and sex (识字、有焊工证…) */
  requirements: string | null;
  /** the start of what the vacancy's text says, where it has no requirements of the chat's (计件，每天8小时…) */
  gist?: string | null;
  /** Why it fits this worker, when it came from a match. */
  reason?: string;
}

export type DeclineReason = "far" | "pay" | "work" | "other";

/** A "不合适" already given, which lowers similar jobs. */
export interface JobFeedback {
  occupationCode?: string;
  employerKind?: string;
  reason: string;
}

/** A message the service sent on its own that asks for a reply ("回复1报名"), and what it is about. */
export interface PendingNotice {
  kind: "job_push" | "training_offer" | "follow_up";
  /** the vacancy, the course, or the hire's application being followed up */
  subjectId: string;
  /** when it reached a provider (not when it was queued: quiet hours may hold it overnight) */
  at: string;
}

// ---------------------------------------------------------------------------------------------------
// Employers

// What an employer registers and posts is the domain's, not the chat's: defined in shared/postings.ts.
import type { EmployerKind, EmployerProfile, EmployerRegistration, SexRequirement, VacancyDraft, WageUnit } from "../shared/postings.ts";
export type { EmployerKind, EmployerProfile, EmployerRegistration, SexRequirement, VacancyDraft, WageUnit };

/** One of the employer's vacancies, as 我的岗位 lists it. */
export interface EmployerVacancy {
  id: string;
  title: string;
  status: "draft" | "open" | "closed" | "filled";
  applicants: number;
  hired: number;
}

/** One of the worker's own applications, as they ask after it (我的报名). */
export interface MyApplication {
  title: string;
  employerName: string | null;
  status: ApplicantView["status"];
  /** the vacancy still takes people (not closed, filled or past its deadline) */
  vacancyOpen: boolean;
}

/** One applicant, as 查看报名 shows them: the phone in full only if the worker agreed to share it. */
export interface ApplicantView {
  applicationId: string;
  /** e.g. 张三 (the name is what the employer calls them by) */
  name: string;
  age: number | null;
  placeName: string | null;
  phone: string;
  status: "applied" | "shared" | "hired" | "rejected" | "withdrawn";
}

// ---------------------------------------------------------------------------------------------------
// Session

/** Every step of every flow; each flow owns its ids (src/engine/flows). */
export type StepId =
  | RegistrationStep
  | ProfileEditStep
  | HomeStep
  | BenefitStep
  | JobSearchStep
  | PhoneLinkStep
  | EmployerRegistrationStep
  | VacancyPostingStep
  | EmployerHomeStep;

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

/** The answers collected so far: the worker's registration at the top, an employer's and a vacancy's under their own keys. */
export interface Answers extends RegistrationAnswers {
  /** An employer registering: their answers. */
  employer?: EmployerAnswers;
  /** A vacancy being posted: its answers. */
  vacancy?: VacancyAnswers;
  /** The terms of the vacancy this employer posted last in this chat, offered for the next one. */
  lastVacancy?: VacancyTerms;
}

export type { EmployerAnswers, VacancyAnswers };

/**
 * State of the step being asked, cleared when the step changes: the page of its menu, and what
 * each flow keeps (declared, and checked on load, in the flow's own file).
 */
export interface Scratch extends RegionScratch, OccupationScratch, ProfileEditScratch, JobSearchScratch, PhoneLinkScratch, EmployerHomeScratch, BenefitScratch {
  /** Page of the step's menu being shown. */
  page?: number;
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
  /** the previous turn asked "确定删除…？": only the very next 确认删除 erases */
  eraseAsked?: boolean;
  /** the previous turn asked for a number to call back (人工 from someone whose number nobody has): the next reply may give it */
  callbackAsked?: boolean;
  /** the option asked back after several misses ("您是说…吗？"): the next reply says yes or no to it */
  guess?: { key: string; label: string };
}

// ---------------------------------------------------------------------------------------------------
// Host-provided reference data and the engine's entry points

export interface Lookups {
  /**
   * Regions whose name matches the text, anywhere in the country (or under parentCode), best first.
   * Townships and villages anywhere in the country match only by their very name (莆美, 莆美镇), and
   * carry their county's name as parentName.
   */
  findRegions(
    text: string,
    options: { parentCode?: string; level: 2 | 3 | 4 | 5; limit: number },
  ): Promise<{ code: string; name: string; parentName?: string }[]>;
  childrenOf(parentCode: string): Promise<{ code: string; name: string }[]>;
  /**
   * The best open jobs for the registered worker, best first, leaving out those already shown;
   * null when the search engine cannot be reached (the chat says so kindly and nothing is lost).
   */
  findJobs(options: { exclude: readonly string[]; feedback: readonly JobFeedback[]; limit: number }): Promise<JobLine[] | null>;
  vacancy(id: string): Promise<VacancyView | null>;
  /** The employer's vacancies, newest first (the numbers 关闭 N and 查看报名 N refer to). */
  employerVacancies(): Promise<EmployerVacancy[]>;
  applicants(vacancyId: string): Promise<ApplicantView[]>;
  /** The registered worker's latest applications, newest first. */
  myApplications(): Promise<MyApplication[]>;
  /**
   * The benefits the registered worker may get, one short line each (what, how much, the next
   * step), those we need to know more about them for (a line for each question) and the facts that
   * would decide them, with what the worker has just told (`told`) taken as said.
   */
  benefits(told?: ToldFacts, forget?: readonly ToldFact[]): Promise<BenefitsView>;
  /**
   * Is this the code sent to this phone for this chat? "ok" names the worker registered with the
   * phone (or this chat's own worker), if any.
   */
  checkPhoneCode(phone: string, code: string): Promise<{ result: "ok"; workerName: string | null } | { result: "wrong" | "expired" | "locked" | "none" }>;
  /**
   * The roster's person not yet reached with this name and ID number, if any: a key to name them by
   * and the roster's phone masked (null when the roster has none: a coordinator checks instead).
   */
  rosterPerson(name: string, idNumber: string): Promise<{ key: string; phoneMasked: string | null } | null>;
  /** Is this the code sent to that roster person's phone for this chat? */
  checkRosterCode(rosterKey: string, code: string): Promise<"ok" | "wrong" | "expired" | "locked" | "none">;
}

export interface EngineContext {
  capabilities: ChannelCapabilities;
  lookups: Lookups;
  /** When the user is already a registered worker (for 我的信息 and 修改). */
  registered?: RegisteredProfile;
  /** When the user is a registered employer. */
  employer?: EmployerProfile;
  /**
   * The latest notices sent to this person that ask for a reply, newest first (two are enough to
   * tell whether a bare "1" would be ambiguous).
   */
  pendingNotices?: PendingNotice[];
  /**
   * Only where the channel proves the sender's phone (SMS) and the sender is not registered: the
   * people on the county's roster with that phone, whom the sender may say they are.
   */
  rosterMatches?: RosterMatch[];
}

export interface TurnResult {
  session: Session;
  replies: Outbound[];
  events: DomainEvent[];
}
