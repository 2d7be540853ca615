// The conversation engine: one inbound message in, the next replies and the domain events out.
// No I/O and no clock of its own (time comes in the message), so the same inputs always give the
// same outputs; the session it returns is plain JSON for the host to store.
import { readCommand, type Command } from "./commands.ts";
import { NOT_A_CHOICE, noChoice, readReply, yesChoice, type Env, type Outcome, type Step } from "./flow.ts";
import { courtesyReply, fold, guessChoice, matchChoiceWord, onlyGreeting, readMobile } from "./input.ts";
import { normalizeMobile } from "../shared/identifiers.ts";
import { profileLines, viewOfRegistered } from "./profile.ts";
import { menuPage } from "./render.ts";
import { myApplicationsText, readNoticeReply } from "./flows/job-search.ts";
import { fieldChanged } from "./flows/profile-edit.ts";
import { STEPS } from "./flows/index.ts";
import { loadSession } from "./session.ts";
import type {
  DomainEvent,
  EngineContext,
  Inbound,
  Outbound,
  Position,
  Session,
  StepId,
  TurnResult,
} from "./types.ts";

/** An unfinished registration idle this long starts again (the phone may have changed hands). */
export const SESSION_EXPIRY_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a person's own menu stays on the page they turned to. */
const MENU_PAGE_KEPT_MS = 30 * 60 * 1000;

/**
 * After this many answers in a row not understood at one step, the bot asks back its best guess
 * ("您是说"外省也行"吗？") or, with none, offers a coordinator.
 */
const MISSES_BEFORE_GUESS = 3;
/**
 * After this many, a coordinator is asked to call without being asked for, and where the step has
 * a safe answer to record meanwhile (its fallback) the person goes on: no step loops forever.
 */
const MISSES_BEFORE_HANDOFF = 6;

const HELP_TEXT = '回复数字选择。"0"返回上一步，"重新开始"从头来，"人工"找协理员，"退订"不再收岗位推送。';

/** Said to "你们是骗子吧", "要收费吗": rural workers are warned of job scams that take fees and bank cards. */
const GENUINE_TEXT = '就业直通车是人社部门的免费服务：不收任何费用，不要银行卡和密码。有疑问回复"人工"。';

/**
 * Does the reply ask who we are, or whether the service is genuine or costs money? 骗 and 传销 at
 * any length, and who we are (你们是哪里的, 是政府的吗); the money words only as a question (要收费吗),
 * so that a job's "入职不用交钱" is not one.
 */
function asksIfGenuine(text: string): boolean {
  const said = fold(text).replace(/\s/g, "");
  if (/骗|传销|你们?是(谁|哪里的?|哪儿的|哪个单位|什么单位|干什么的|做什么的)|是(不是)?政府的|政府的吗|官方的吗/u.test(said)) return true;
  return /收费|收钱|交钱|要钱|花钱|正规|靠谱|真的|可信/u.test(said) && (/[吗嘛吧?]$/u.test(said) || /真的假的/u.test(said));
}

interface Turn extends Env {
  session: Session;
  /** the turn before asked whether to erase (the question holds for one turn) */
  eraseAsked: boolean;
  /** the turn before asked for a number to call back (it too holds for one turn) */
  callbackAsked: boolean;
  replies: Outbound[];
  events: DomainEvent[];
}

function freshSession(at: string, step: StepId, keep: { optedOut?: boolean; consent?: boolean } = {}): Session {
  return {
    version: 1,
    step,
    answers: keep.consent ? { consent: true } : {},
    scratch: {},
    history: [],
    mistakes: 0,
    lastAt: at,
    optedOut: keep.optedOut ?? false,
  };
}

const position = ({ step, answers, scratch, editing }: Position): Position => ({ step, answers, scratch, editing });

function moveTo(session: Session, to: Position) {
  Object.assign(session, position(to), { mistakes: 0 });
  delete session.guess;
}

const say = (turn: Turn, ...messages: Outbound[]) => turn.replies.push(...messages);

/** The current step's question; with an error, the error stands in for the prompt's text. */
async function ask(turn: Turn, error?: string): Promise<void> {
  const { session } = turn;
  const step = STEPS[session.step];
  if (session.guess) {
    const options = GUESS_CHOICES.map(({ key, label }) => ({ key, label }));
    say(turn, { kind: "question", text: `您是说"${session.guess.label}"吗？`, options, page: 0, canGoBack: false });
    return;
  }
  const prompt = await step.prompt(session, turn);
  const options = prompt.choices?.map(({ key, label }) => ({ key, label }));
  say(turn, {
    kind: "question",
    text: error ?? prompt.text,
    ...(options && options.length > 0 ? { options, page: session.scratch.page ?? 0 } : {}),
    canGoBack: session.history.length > 0 && !step.noBackHint,
  });
}

/** Yes and no to a guess asked back. */
const GUESS_CHOICES = [yesChoice("是"), noChoice("不是", ["不是的", "不对", "都不是"])];

/** What was typed, short enough to quote back in a re-ask that still fits one SMS. */
function quoted(text: string): string {
  const typed = fold(text);
  return typed.length > 6 ? `${typed.slice(0, 5)}…` : typed;
}

async function mistake(turn: Turn, error: string, text: string): Promise<void> {
  const { session } = turn;
  const notUnderstood = error === NOT_A_CHOICE;
  // A greeting, thanks or an OK at the person's own menu (after a push, say) is manners, not a
  // misread answer: the menu again, kindly, and no miss counted. Counted, a worker who thanked for
  // every push would be told to ask for a person at the third and handed to a coordinator at the sixth.
  const courtesy = notUnderstood && session.step === homeOf(turn.ctx) ? courtesyReply(text) : null;
  if (courtesy) return ask(turn, courtesy);
  session.mistakes += 1;
  if (session.mistakes === MISSES_BEFORE_HANDOFF) return handOff(turn);
  if (notUnderstood && session.mistakes >= MISSES_BEFORE_GUESS) {
    const prompt = await STEPS[session.step].prompt(session, turn);
    const guess = guessChoice(text, prompt.choices ?? []);
    if (guess) {
      session.guess = { key: guess.key, label: guess.label };
      return ask(turn);
    }
  }
  // Saying what was read shows the person it was their words, not the phone, that went wrong.
  // A greeting is not misread, only not an answer: greeted back, though it still counts as a miss.
  const said = !notUnderstood || !fold(text) ? error : onlyGreeting(text) ? "您好！请回复数字" : `没看懂"${quoted(text)}"，请回复数字`;
  // From the third miss a person is offered (unless the error already offers one), before the
  // choices, so that they stay the last lines.
  const offersPerson = session.mistakes >= MISSES_BEFORE_GUESS && !said.includes('"人工"');
  await ask(turn, offersPerson ? `${said}\n回复"人工"，让协理员帮您。` : said);
}

/** The coordinator's task a person asks for with 人工 (or the bot asks for them). */
function humanRequested(turn: Turn): Extract<DomainEvent, { type: "human_requested" }> {
  const { answers, step } = turn.session;
  const place = answers.village ?? answers.township ?? answers.county ?? answers.employer?.township ?? answers.employer?.county;
  // Where they said they live, else the county their ID number was issued in: a coordinator there.
  const regionCode = place?.code ?? answers.idNumber?.slice(0, 6);
  const phone = numberToCall(turn);
  const name = answers.name ?? answers.employer?.contactName;
  return { type: "human_requested", step, ...(regionCode ? { regionCode } : {}), ...(phone ? { phone } : {}), ...(name ? { name } : {}) };
}

/** The number this person typed, else the one an SMS came from (the channel proves it; not a mobile, as sent). */
function numberToCall({ session, ctx, inbound }: Turn): string | undefined {
  const typed = session.answers.phone ?? session.answers.employer?.contactPhone;
  if (typed) return typed;
  return ctx.capabilities.knowsPhone && inbound.phone ? (normalizeMobile(inbound.phone) ?? inbound.phone) : undefined;
}

/** A coordinator can call this person back: their number is on a record, was typed, or the channel proves it. */
function callbackKnown(turn: Turn): boolean {
  return Boolean(turn.ctx.registered || turn.ctx.employer || numberToCall(turn));
}

/** The steps that ask for the person's own number: a number given for the callback answers them too. */
const PHONE_STEPS: readonly string[] = ["phone", "contactPhone"];
/** A worker's registration before its phone question (and after consent): the number given is kept for it, not asked again. */
const BEFORE_PHONE_STEP: readonly string[] = ["name", "idNumber"];

/** Declining to leave a number (only these: a 没有 or 不是 may be the answer to the question they were at). */
const DECLINED_CALLBACK = [{ key: "no", label: "不留", words: ["不留", "不用", "不用了", "不方便", "不要", "算了", "不给", "不想留", "没手机", "没有手机"] }];

/**
 * The reply to "请回复您的手机号码" after 人工: a number is given to the request; 不留 is taken;
 * anything else is read as usual (an answer to the question they were at), so nobody is held here.
 */
async function answerCallback(turn: Turn, text: string): Promise<boolean> {
  const phone = readMobile(text);
  if (phone) {
    turn.events.push({ ...humanRequested(turn), phone });
    say(turn, { kind: "notice", text: "好的，记下了，协理员会打这个号码给您。", standsFor: "coordinatorWillCall" });
    if (PHONE_STEPS.includes(turn.session.step)) return answer(turn, text).then(() => true);
    if (BEFORE_PHONE_STEP.includes(turn.session.step)) turn.session.answers.phone ??= phone;
  } else if (matchChoiceWord(text, DECLINED_CALLBACK)) {
    say(turn, { kind: "notice", text: '好的。想让协理员打给您时，再回复"人工"。' });
  } else {
    return false;
  }
  await ask(turn);
  return true;
}

/** Too many misses at one step: a coordinator will call; meanwhile the step's safe answer, if it has one. */
async function handOff(turn: Turn): Promise<void> {
  const step = STEPS[turn.session.step];
  turn.events.push(humanRequested(turn));
  if (!step.fallback) {
    say(turn, { kind: "notice", text: "这一步不好回答吧？已请协理员打电话帮您，您也可以接着回复。" });
    return ask(turn);
  }
  say(turn, { kind: "notice", text: "这一步先跳过，已请协理员打电话和您核实。" });
  await advance(turn, step, { answers: step.fallback });
}

/** The answer to a guess asked back: yes picks it, no shows the menu again, anything else answers the step. */
async function answerGuess(turn: Turn, text: string, guess: NonNullable<Session["guess"]>): Promise<void> {
  const { session } = turn;
  delete session.guess;
  const read = readReply(text, { text: "", choices: GUESS_CHOICES }, { page: 0, multiple: false, capabilities: turn.ctx.capabilities });
  const said = "reply" in read ? read.reply.chosen[0]?.key : undefined;
  if (said === "no") return ask(turn, "好的，请回复数字选择：");
  if (said !== "yes") return answer(turn, text);
  const step = STEPS[session.step];
  const prompt = await step.prompt(session, turn);
  const choice = prompt.choices?.find(({ key }) => key === guess.key);
  if (!choice) return ask(turn);
  await apply(turn, step, text, await step.read({ text: choice.label, chosen: [choice] }, session, turn));
}

/**
 * Moves past an answered step: records where the worker was (for 返回), applies the answers, and
 * finds the next step to ask, skipping those the channel answers and returning from a 修改.
 */
async function advance(turn: Turn, step: Step, outcome: Exclude<Outcome, { error: string }>): Promise<void> {
  const { session } = turn;
  session.history.push(position(session));
  let at: Position = {
    step: step.id,
    answers: { ...session.answers, ...outcome.answers },
    scratch: outcome.carry ?? {},
    editing: outcome.editing ?? session.editing,
  };
  let next = step.next(at);
  for (;;) {
    if (at.editing && STEPS[next].field !== at.editing.field) {
      // The field is re-answered: back to where the 修改 began, which learns which field it was.
      const { field, returnTo } = at.editing;
      at = { ...at, scratch: { editedField: field }, editing: undefined };
      next = returnTo;
      if (returnTo === "editConfirm" && outcome.confirmed) {
        // The worker has just said 对 to this very answer: asking 改成…对吗 again would be the same question twice.
        const changed = fieldChanged(at.answers, field);
        say(turn, ...changed.say);
        turn.events.push(...changed.events);
        next = "home";
      }
    }
    const target = STEPS[next];
    const reAsked = at.editing !== undefined && at.editing.field === target.field;
    const given = reAsked ? undefined : await target.given?.({ ...at, step: next }, turn);
    if (!given) break;
    at = { ...at, step: next, answers: { ...at.answers, ...given }, scratch: {} };
    next = target.next(at);
  }
  if (next === "home") {
    // Home holds nothing: the profile now lives with the host, and there is no going back into it.
    moveTo(session, { step: "home", answers: {}, scratch: {} });
    session.history = [];
  } else {
    moveTo(session, { ...at, step: next });
  }
  await ask(turn);
}

async function answer(turn: Turn, text: string): Promise<void> {
  const { session } = turn;
  if (session.guess) return answerGuess(turn, text, session.guess);
  const step = STEPS[session.step];
  const prompt = await step.prompt(session, turn);
  const page = session.scratch.page ?? 0;
  const read = readReply(text, prompt, { page, multiple: Boolean(prompt.multiple ?? step.multiple), capabilities: turn.ctx.capabilities });
  if ("turnPage" in read) {
    session.scratch = { ...session.scratch, page: menuPage(prompt.choices ?? [], page, turn.ctx.capabilities).nextPage };
    return ask(turn);
  }
  await apply(turn, step, text, "error" in read ? read : await step.read(read.reply, session, turn));
}

/** What a step made of a reply: a miss, or what it says and does and where it goes. */
async function apply(turn: Turn, step: Step, text: string, outcome: Outcome): Promise<void> {
  if ("error" in outcome) return mistake(turn, outcome.error, text);
  say(turn, ...(outcome.say ?? []));
  turn.events.push(...(outcome.events ?? []));
  if (outcome.run) return COMMANDS[outcome.run](turn);
  if (!outcome.stay) await advance(turn, step, outcome);
  else if (outcome.askAgain) await ask(turn);
}

export const ERASE_QUESTION = "确定删除您的登记信息吗？删除后不再给您发岗位，协理员也看不到您的姓名和证件。确定请回复：确认删除";
export const ERASED = "您的信息已删除，不再给您发消息。以后想用，回复\"你好\"重新登记。";

const COMMANDS: Record<Command, (turn: Turn) => Promise<void>> = {
  async help(turn) {
    say(turn, { kind: "text", text: HELP_TEXT });
    await ask(turn);
  },
  async back(turn) {
    const previous = turn.session.history.pop();
    if (previous) {
      const { page: _turnedTo, ...scratch } = previous.scratch;
      moveTo(turn.session, { ...previous, scratch });
    } else {
      say(turn, { kind: "text", text: "已经是第一步了。" });
    }
    await ask(turn);
  },
  // Consent given stays given: starting over is about the answers, not about the permission.
  async restart(turn) {
    const { session, ctx } = turn;
    const step = homeOf(ctx) ?? (session.answers.consent ? "name" : "purpose");
    turn.session = freshSession(session.lastAt, step, { optedOut: session.optedOut, consent: session.answers.consent });
    say(turn, { kind: "text", text: "好的，我们从头开始。" });
    await ask(turn);
  },
  async human(turn) {
    turn.events.push(humanRequested(turn));
    if (callbackKnown(turn)) {
      say(turn, { kind: "notice", text: "好的，已请协理员帮您，他们会尽快打电话给您。", standsFor: "coordinatorWillCall" });
      return ask(turn);
    }
    // On WeChat or the web, before the phone question, nobody has a number to call: asked once.
    turn.session.callbackAsked = true;
    say(
      turn,
      { kind: "notice", text: "好的，已请协理员帮您。", standsFor: "coordinatorWillCall" },
      { kind: "question", text: '请回复您的手机号码，协理员好打给您；不方便请回复"不留"', canGoBack: false },
    );
  },
  async applications(turn) {
    say(turn, ...(await myApplicationsText(turn)));
    await ask(turn);
  },
  async profile(turn) {
    const { registered } = turn.ctx;
    if (registered) {
      const lines = profileLines(viewOfRegistered(registered), new Date(turn.inbound.at));
      say(turn, { kind: "text", text: ["您的登记信息：", ...lines].join("\n") });
      turn.events.push({ type: "profile_shown" });
    } else {
      say(turn, { kind: "text", text: "您还没有登记完，登记完就能查看。" });
    }
    await ask(turn);
  },
  async edit(turn) {
    const { session } = turn;
    session.history.push(position(session));
    moveTo(session, { step: "editField", answers: {}, scratch: { editReturn: "editConfirm" } });
    await ask(turn);
  },
  async optOut(turn) {
    turn.session.optedOut = true;
    turn.events.push({ type: "opted_out" });
    // Opt-out stops pushes (jobs, training offers, campaigns); what concerns the person's own case
    // (a hire, a follow-up, a course they enrolled in) still reaches them, as the text says.
    say(turn, { kind: "notice", text: '已退订，不再给您推送岗位和活动。您自己的报名、回访等通知照常。想再收到推送，回复"订阅"。' });
  },
  // From anywhere (a list, the details, a reason menu): a fresh search, as from the home menu.
  async jobs(turn) {
    turn.session.history = [];
    moveTo(turn.session, { step: "home", answers: {}, scratch: {} });
    await answer(turn, "找工作");
  },
  // From anywhere (in the middle of 补贴's own questions, say): the benefits, as from the home menu.
  async benefits(turn) {
    turn.session.history = [];
    moveTo(turn.session, { step: "home", answers: {}, scratch: {} });
    await answer(turn, "补贴政策");
  },
  // The personal-information law's right to erasure: said what it means, then done on a second word.
  async erase(turn) {
    say(turn, { kind: "text", text: ERASE_QUESTION });
    turn.session.eraseAsked = true;
    await ask(turn);
  },
  async eraseConfirmed(turn) {
    // Only as the answer to the question: typed out of the blue, it asks first.
    if (!turn.eraseAsked) return COMMANDS.erase(turn);
    turn.events.push({ type: "erasure_requested" });
    turn.session = freshSession(turn.session.lastAt, "purpose", { optedOut: true });
    say(turn, { kind: "notice", text: ERASED });
  },
  async optIn(turn) {
    turn.session.optedOut = false;
    turn.events.push({ type: "opted_in" });
    say(turn, { kind: "notice", text: "已恢复订阅，有合适的岗位会发给您。" });
    await ask(turn);
  },
};

/**
 * 修改, 找工作, 补贴 and 我的报名 are global words for registered workers only; before that 修改 answers the
 * summary's menu, 找工作 the welcome's (补贴 too: the service finds work and subsidies).
 */
const REGISTERED_ONLY: readonly Command[] = ["edit", "jobs", "benefits", "applications"];
function commandIn(turn: Turn, text: string): Command | null {
  const command = readCommand(text);
  return command && REGISTERED_ONLY.includes(command) && !turn.ctx.registered ? null : command;
}

/** A command, or else the number asked for after 人工, or else an answer to the current step. */
async function handle(turn: Turn, text: string): Promise<void> {
  const command = commandIn(turn, text);
  // After a global word the menu is shown from its first page: a page turned to before is no place to come back to.
  if (command) {
    delete turn.session.scratch.page;
    return COMMANDS[command](turn);
  }
  if (turn.callbackAsked && (await answerCallback(turn, text))) return;
  // Answered wherever it is asked, and no miss: the question it interrupted is asked again.
  if (asksIfGenuine(text)) {
    say(turn, { kind: "text", text: GENUINE_TEXT });
    return ask(turn);
  }
  return answer(turn, text);
}

/** Where a known person rests between tasks: the worker's or the employer's menu. */
function homeOf(ctx: EngineContext): StepId | null {
  return ctx.registered ? "home" : ctx.employer ? "employerHome" : null;
}

/**
 * The first reply after a notice that asks for one ("回复1报名") answers it when it fits; anything
 * else is read as usual. Two such notices since the person last wrote make a bare "1" ambiguous:
 * then it answers neither (the menus still work). Returns whether the reply answered a notice.
 */
async function answerNotice(turn: Turn, lastAt: string | null, text: string): Promise<boolean> {
  const fresh = (turn.ctx.pendingNotices ?? []).filter((notice) => lastAt === null || Date.parse(notice.at) > Date.parse(lastAt));
  if (fresh.length !== 1) return false;
  const answer = await readNoticeReply(turn, fresh[0]!, text);
  if (!answer) return false;
  say(turn, ...(answer.say ?? []));
  turn.events.push(...(answer.events ?? []));
  turn.session.history = [];
  moveTo(turn.session, { step: answer.step, answers: {}, scratch: answer.scratch ?? {} });
  if (!answer.quiet) await ask(turn);
  return true;
}

function newTurn(ctx: EngineContext, inbound: Inbound, session: Session): Turn {
  const eraseAsked = session.eraseAsked ?? false;
  const callbackAsked = session.callbackAsked ?? false;
  delete session.eraseAsked;
  delete session.callbackAsked;
  return { ctx, inbound, session, eraseAsked, callbackAsked, replies: [], events: [] };
}

const result = ({ session, replies, events }: Turn): TurnResult => ({ session, replies, events });

/** Whether the first words already answer the welcome ("找工作" from a poster) or are a command. */
async function answersWelcome(turn: Turn, text: string): Promise<boolean> {
  if (commandIn(turn, text)) return true;
  const prompt = await STEPS[turn.session.step].prompt(turn.session, turn);
  const read = readReply(text, prompt, { page: 0, multiple: false, capabilities: turn.ctx.capabilities });
  return "reply" in read && read.reply.chosen.length > 0;
}

/**
 * First contact: a welcome that asks what they came for, the home menu of a registered worker, or —
 * for a sender the roster's phone proves — whether they are the roster's person (whatever they
 * wrote: a "1" answering the invitation SMS, say).
 */
export async function start(ctx: EngineContext, inbound: Inbound): Promise<TurnResult> {
  const onRoster = !homeOf(ctx) && (ctx.rosterMatches?.length ?? 0) > 0;
  const turn = newTurn(ctx, inbound, freshSession(inbound.at, homeOf(ctx) ?? (onRoster ? "rosterConfirm" : "purpose")));
  const text = inputText(inbound);
  const known = ctx.registered?.name ?? ctx.employer?.name;
  if (text && (await answerNotice(turn, null, text))) return result(turn);
  if (onRoster) {
    if (commandIn(turn, text)) await handle(turn, text);
    else await ask(turn);
    return result(turn);
  }
  if (known) say(turn, { kind: "text", text: `您好，${known}！` });
  if (text && (await answersWelcome(turn, text))) await handle(turn, text);
  else await ask(turn);
  return result(turn);
}

/** A session that could not be read: the person's menu, or registration from its start, with a word why. */
async function startAgain(ctx: EngineContext, inbound: Inbound, kept: { optedOut: boolean; consent: boolean }): Promise<TurnResult> {
  const home = homeOf(ctx);
  const turn = newTurn(ctx, inbound, freshSession(inbound.at, home ?? (kept.consent ? "name" : "purpose"), kept));
  say(turn, { kind: "text", text: home ? SESSION_LOST.home : SESSION_LOST.registration });
  const text = inputText(inbound);
  // What they wrote answered a question that is gone; only a command still means what it says.
  if (commandIn(turn, text)) await handle(turn, text);
  else await ask(turn);
  return result(turn);
}

/**
 * A menu click carries its key; everything else is what was typed, without the full stop or
 * exclamation that ends it: WeChat's voice input ends every sentence with 。, and 3500。 or 13906003003。
 * means what 3500 means to every reader. A question mark stays: it says the reply asks.
 */
function inputText(inbound: Inbound): string {
  if (inbound.event === "menu") return inbound.eventKey ?? "";
  return inbound.text.replace(SENTENCE_END, "") || inbound.text;
}

const SENTENCE_END = /[\s。．.!！~～]+$/u;

/** Said before the question when a stored session could not be read (written by an older version). */
export const SESSION_LOST = { home: "抱歉，系统更新过，请重新选择。", registration: "抱歉，系统更新过，刚才的登记要从头开始。" } as const;

export async function resume(ctx: EngineContext, saved: unknown, inbound: Inbound): Promise<TurnResult> {
  const loaded = loadSession(saved);
  if ("unreadable" in loaded) return startAgain(ctx, inbound, loaded.unreadable);
  const stored = loaded.session;
  const idleMs = Date.parse(inbound.at) - Date.parse(stored.lastAt);
  const session: Session = { ...structuredClone(stored), lastAt: inbound.at };
  // Misses count within a sitting: one of days ago says nothing of being stuck now (a person rests
  // at their menu for months, between notices).
  if (idleMs >= DAY_MS) session.mistakes = 0;
  // Someone back at their menu after a while answers it as they know it, from its first page
  // (2 for 补贴政策), not the page they last turned to.
  if (session.step === homeOf(ctx) && idleMs >= MENU_PAGE_KEPT_MS) delete session.scratch.page;
  const turn = newTurn(ctx, inbound, session);
  const text = inputText(inbound);

  // Unfollowing on WeChat: nothing can be sent any more, only recorded.
  if (inbound.event === "unsubscribe") {
    session.optedOut = true;
    turn.events.push({ type: "opted_out" });
    return result(turn);
  }
  if (inbound.event === "subscribe") {
    if (session.optedOut) await COMMANDS.optIn(turn);
    else await ask(turn);
    return result(turn);
  }

  if (await answerNotice(turn, stored.lastAt, text)) return result(turn);

  const home = homeOf(ctx);
  if (session.step !== home && idleMs >= SESSION_EXPIRY_DAYS * DAY_MS) {
    // A known person left mid-task goes back to their menu; an unfinished registration starts over.
    turn.session = freshSession(inbound.at, home ?? "purpose", { optedOut: session.optedOut, consent: Boolean(home) && session.answers.consent });
    say(turn, { kind: "text", text: home ? "好久不见！" : "好久不见！上次的登记没有做完，我们从头开始。" });
    // What they wrote answered a question of a week ago; only a command still means what it says.
    if (commandIn(turn, text)) await handle(turn, text);
    else await ask(turn);
    return result(turn);
  }

  // Someone who wrote before their county's roster came in, and is still at the welcome: the roster's question now.
  if (!home && session.step === "purpose" && (ctx.rosterMatches?.length ?? 0) > 0 && !session.answers.rosterDeclined && !commandIn(turn, text)) {
    session.history = [];
    moveTo(session, { step: "rosterConfirm", answers: {}, scratch: {} });
    await ask(turn);
    return result(turn);
  }

  await handle(turn, text);
  return result(turn);
}
