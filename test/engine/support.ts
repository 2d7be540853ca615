// Drives the engine turn by turn as a host would: the session goes through JSON between turns, and
// every reply is rendered for the channel and checked against its budget.
import { basename, join } from "node:path";
import { expect } from "vitest";
import { renderReplies, resume, start } from "../../src/engine/index.ts";
import { SMS_TEXT_CHARS } from "../../src/shared/sms-text.ts";
import { NO_BENEFITS } from "../../src/policies/index.ts";
import type {
  ApplicantView,
  BenefitsView,
  ChannelCapabilities,
  DomainEvent,
  EmployerProfile,
  EmployerVacancy,
  EngineContext,
  Inbound,
  Lookups,
  MyApplication,
  PendingNotice,
  RegisteredProfile,
  RosterMatch,
  Session,
  ToldFact,
  ToldFacts,
  VacancyView,
} from "../../src/engine/index.ts";

export const SMS: ChannelCapabilities = { textBudget: SMS_TEXT_CHARS, maxMenuOptions: 5, knowsPhone: true, joinsReplies: true };
export const WECHAT: ChannelCapabilities = { textBudget: 600, maxMenuOptions: 8, knowsPhone: false, joinsReplies: false };

/** A few real regions (2023 statistics codes) and enough of their children to walk down to villages. */
const REGIONS: Record<string, string> = {
  "32": "江苏省",
  "3201": "南京市",
  "320106": "鼓楼区",
  "3203": "徐州市",
  "320302": "鼓楼区",
  "35": "福建省",
  "3501": "福州市",
  "350102": "鼓楼区",
  "350102001": "鼓东街道",
  "350102002": "鼓西街道",
  "350102001001": "三坊七巷社区居委会",
  "350102001002": "庆城社区居委会",
  "3506": "漳州市",
  "350622": "云霄县",
  "350622100": "云陵镇",
  "350622101": "陈岱镇",
  "350622102": "东厦镇",
  "350622103": "莆美镇",
  "350622104": "列屿镇",
  "350622105": "火田镇",
  "350622200": "下河乡",
  "350622201": "马铺乡",
  "350622202": "和平乡",
  "350622500": "常山华侨经济开发区",
  "350622100001": "下港社区居委会",
  "350622100017": "云陵镇望安社区居民委员会",
  "350622100201": "塘坪村委会",
  "350622103001": "绥阳社区居委会",
  "350622103201": "莆东村委会",
  "350622103202": "莆南村委会",
  "350622103203": "莆北村委会",
  "350622103204": "莆下村委会",
  "350622103205": "前涂村委会",
  "350622103206": "双溪口村委会",
  "350622103207": "山美村委会",
  "350624": "诏安县",
  "350624100": "南诏镇",
  "350624101": "四都镇",
  "41": "河南省",
  "4101": "郑州市",
  "410122": "中牟县",
  "410122001": "青年路街道",
  "4102": "开封市",
  "410204": "鼓楼区",
};

const LEVEL_LENGTH = { 2: 4, 3: 6, 4: 9, 5: 12 } as const;
const PARENT_LENGTH: Record<number, number> = { 4: 2, 6: 4, 9: 6, 12: 9 };

function ancestorsName(code: string): string {
  return [2, 4].filter((length) => length < code.length).map((length) => REGIONS[code.slice(0, length)] ?? "").join("");
}

/** A small job board the way the host would show it, best first. */
export const VACANCIES: VacancyView[] = [
  ["v1", "家政服务员", "4-10-01-06", "月薪4000-5000", "同乡镇"],
  ["v2", "住家保姆", "4-10-01-06", "月薪5000", "县内"],
  ["v3", "养老护理员", "4-10-01-05", "月薪3500", "县内"],
  ["v4", "保洁员", "4-09-08-01", "月薪2500", "同村"],
  ["v5", "竹编工", "5-05-06-05", "计件", "同乡镇"],
  ["v6", "快递员", "4-02-07-08", "月薪6000", "省内"],
].map(([id, title, occupationCode, payText, near]) => ({
  id: id!,
  title: title!,
  occupationCode: occupationCode!,
  employerName: `${title}用工单位`,
  employerKind: "company",
  placeName: "云霄县莆美镇",
  payText: payText!,
  ageMin: 18,
  ageMax: 55,
  sex: "any",
  housing: id === "v2",
  meals: false,
  insurance: true,
  headcount: 3,
  hours: "每天8小时",
  requirements: null,
  reason: `${title}·${near}·${payText}`,
}));

export interface FakeBoard {
  vacancies: VacancyView[];
  /** The search engine is down. */
  down?: boolean;
  employerVacancies: EmployerVacancy[];
  applicants: Record<string, ApplicantView[]>;
  /** Codes "sent" by SMS, by phone, and whom each phone is registered to. */
  codes?: Record<string, { code: string; workerName: string | null }>;
  /** The benefits the host would give: lines alone, or worked out from what the worker told (the real policies, in the tests that ask). */
  benefits?: Partial<BenefitsView> | ((told: ToldFacts, forget: readonly ToldFact[]) => BenefitsView);
  /** The worker's own applications (我的报名). */
  myApplications?: MyApplication[];
  /** Roster people by "name idNumber", and the code "sent" to each one's phone. */
  roster?: Record<string, { key: string; phoneMasked: string | null; code?: string }>;
  /** What findJobs was asked, for assertions. */
  searches: Parameters<Lookups["findJobs"]>[0][];
}

export function fakeBoard(overrides: Partial<FakeBoard> = {}): FakeBoard {
  return { vacancies: [...VACANCIES], employerVacancies: [], applicants: {}, searches: [], ...overrides };
}

/** Jobs as a host would find them: the board's order, minus those shown, occupations turned down last. */
function boardLookups(board: FakeBoard): Omit<Lookups, "findRegions" | "childrenOf"> {
  return {
    async benefits(told = {}, forget = []) {
      const given = board.benefits;
      return typeof given === "function" ? given(told, forget) : { ...NO_BENEFITS, ...given };
    },
    async myApplications() {
      return board.myApplications ?? [];
    },
    async checkPhoneCode(phone, code) {
      const sent = board.codes?.[phone];
      if (!sent) return { result: "none" };
      return code === sent.code ? { result: "ok", workerName: sent.workerName } : { result: "wrong" };
    },
    async rosterPerson(name, idNumber) {
      const person = board.roster?.[`${name} ${idNumber}`];
      return person ? { key: person.key, phoneMasked: person.phoneMasked } : null;
    },
    async checkRosterCode(rosterKey, code) {
      const person = Object.values(board.roster ?? {}).find((candidate) => candidate.key === rosterKey);
      return !person?.code ? "none" : person.code === code ? "ok" : "wrong";
    },
    async findJobs(options) {
      board.searches.push(options);
      if (board.down) return null;
      const declined = new Set(options.feedback.map((item) => item.occupationCode).filter(Boolean));
      const ranked = board.vacancies
        .filter((vacancy) => !options.exclude.includes(vacancy.id))
        .sort((a, b) => Number(declined.has(a.occupationCode ?? "")) - Number(declined.has(b.occupationCode ?? "")));
      return ranked.slice(0, options.limit).map((vacancy) => ({ vacancyId: vacancy.id, line: vacancy.reason ?? vacancy.title }));
    },
    async vacancy(id) {
      return board.vacancies.find((vacancy) => vacancy.id === id) ?? null;
    },
    async employerVacancies() {
      return board.employerVacancies;
    },
    async applicants(vacancyId) {
      return board.applicants[vacancyId] ?? [];
    },
  };
}

/** Like the host: names containing the text, else the names sharing most characters with it. */
const regionLookups: Pick<Lookups, "findRegions" | "childrenOf"> = {
  async findRegions(text, { parentCode, level, limit }) {
    const typed = text.replace(/\s/g, "");
    // Townships and villages anywhere: by their very name only, with their county's name.
    if (level >= 4 && !parentCode) {
      const plain = typed.replace(/(镇|乡|街道|村|社区)$/, "");
      return Object.entries(REGIONS)
        .filter(([code, name]) => code.length === LEVEL_LENGTH[level] && plain.length >= 2 && name.replace(/(镇|乡|街道|村|社区)$/, "") === plain)
        .slice(0, limit)
        .map(([code, name]) => ({ code, name, parentName: REGIONS[code.slice(0, 6)] ?? "" }));
    }
    const core = typed.replace(/[县区市]$/, "");
    const candidates = Object.entries(REGIONS).filter(
      ([code]) => code.length === LEVEL_LENGTH[level] && (!parentCode || code.startsWith(parentCode)),
    );
    const scored = candidates
      .map(([code, name]) => ({
        code,
        name,
        score: name.includes(core) ? 100 : [...new Set(typed)].filter((char) => name.includes(char)).length,
      }))
      .filter(({ score }) => score >= 2)
      .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    return scored.slice(0, limit).map(({ code, name }) => ({ code, name, parentName: ancestorsName(code) }));
  },
  async childrenOf(parentCode) {
    return Object.entries(REGIONS)
      .filter(([code]) => PARENT_LENGTH[code.length] === parentCode.length && code.startsWith(parentCode))
      .map(([code, name]) => ({ code, name }));
  },
};

export const lookups: Lookups = { ...regionLookups, ...boardLookups(fakeBoard()) };

export function context(
  capabilities: ChannelCapabilities,
  registered?: RegisteredProfile,
  extra: { board?: FakeBoard; employer?: EmployerProfile; pendingNotice?: PendingNotice; pendingNotices?: PendingNotice[]; rosterMatches?: RosterMatch[] } = {},
): EngineContext {
  return {
    capabilities,
    lookups: extra.board ? { ...regionLookups, ...boardLookups(extra.board) } : lookups,
    ...(registered ? { registered } : {}),
    ...(extra.employer ? { employer: extra.employer } : {}),
    ...(extra.pendingNotice || extra.pendingNotices ? { pendingNotices: extra.pendingNotices ?? [extra.pendingNotice!] } : {}),
    ...(extra.rosterMatches ? { rosterMatches: extra.rosterMatches } : {}),
  };
}

/** A reply expected in a turn: a piece of the rendered text, or a pattern for it. */
export type Expected = string | RegExp;
/** Expected events: their types, or objects they must match. */
export type ExpectedEvent = DomainEvent["type"] | Partial<DomainEvent> | Record<string, unknown>;
/** One turn: what the user types, what the replies must contain, and exactly which events follow. */
export type TranscriptTurn = [text: string, replies: Expected[], events?: ExpectedEvent[]];

export interface TurnLog {
  text: string;
  /** The rendered texts, as the channel sends them. */
  sent: string[];
  events: DomainEvent[];
  session: Session;
}

export const T0 = "2025-03-03T02:00:00.000Z";
export const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export interface Conversation {
  capabilities: ChannelCapabilities;
  say(text: string, inbound?: Partial<Inbound>): Promise<TurnLog>;
  session(): Session | undefined;
  log: TurnLog[];
}

/** A conversation with one user; each message one minute after the last unless `at` says otherwise. */
export function conversation(ctx: EngineContext, options: { phone?: string; session?: Session; at?: string } = {}): Conversation {
  let stored = options.session && JSON.stringify(options.session);
  let at = options.at ?? T0;
  const log: TurnLog[] = [];
  return {
    capabilities: ctx.capabilities,
    log,
    session: () => (stored ? (JSON.parse(stored) as Session) : undefined),
    async say(text, extra = {}) {
      at = extra.at ?? minutesAfter(at, 1);
      const inbound: Inbound = { text, at, ...(options.phone ? { phone: options.phone } : {}), ...extra };
      const result = stored ? await resume(ctx, JSON.parse(stored) as Session, inbound) : await start(ctx, inbound);
      stored = JSON.stringify(result.session);
      const sent = renderReplies(result.replies, ctx.capabilities);
      for (const part of sent) expect(part.length, `over budget: ${part}`).toBeLessThanOrEqual(ctx.capabilities.textBudget);
      const entry = { text, sent, events: result.events, session: result.session };
      log.push(entry);
      return entry;
    },
  };
}

const TRANSCRIPTS = join(import.meta.dirname, "..", "transcripts");
const transcriptsInTest = new Map<string, number>();

/** Where a test's golden transcript lives: test/transcripts/<test file>/<test name>[-n].json. */
function goldenFile(): string {
  const { testPath, currentTestName } = expect.getState();
  const name = (currentTestName ?? "transcript").replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").slice(0, 120);
  const key = `${testPath}:${name}`;
  const n = (transcriptsInTest.get(key) ?? 0) + 1;
  transcriptsInTest.set(key, n);
  return join(TRANSCRIPTS, basename(testPath ?? "engine", ".test.ts"), `${name}${n > 1 ? `-${n}` : ""}.json`);
}

/**
 * Plays the turns and checks each one's replies and events, then the whole transcript exactly
 * against its golden file: every message in, every reply as the channel sends it, every event.
 * A change in wording or order fails until the file is rewritten (npx vitest run -u) and the diff
 * reviewed.
 */
export async function playTranscript(chat: Conversation, turns: TranscriptTurn[]): Promise<TurnLog[]> {
  const logs: TurnLog[] = [];
  for (const [text, replies, events = []] of turns) {
    const turn = await chat.say(text);
    const sent = turn.sent.join("\n");
    for (const expected of replies) {
      if (typeof expected === "string") expect(sent, `reply to "${text}"`).toContain(expected);
      else expect(sent, `reply to "${text}"`).toMatch(expected);
    }
    expect(
      turn.events,
      `events after "${text}"`,
    ).toMatchObject(events.map((event) => (typeof event === "string" ? { type: event } : event)));
    logs.push(turn);
  }
  const golden = { channel: chat.capabilities, turns: logs.map(({ text, sent, events }) => ({ in: text, out: sent, events })) };
  await expect(`${JSON.stringify(golden, null, 2)}\n`).toMatchFileSnapshot(goldenFile());
  return logs;
}

/** A registered worker as the host would describe them to the engine. */
export const REGISTERED: RegisteredProfile = {
  name: "张三",
  idNumberMasked: "350622********1230",
  phoneMasked: "138****5678",
  birthDate: "1990-01-01",
  sex: "male",
  homeRegionCode: "350622103201",
  homeRegionName: "云霄县莆美镇莆东村",
  povertyStatus: "registered",
  categories: ["minimumLivingAllowance"],
  wishedOccupations: ["4-10-01-06"],
  workRange: "province",
  wageFloor: 3000,
  wantsTraining: true,
  trainingWish: "电工",
};
