// The bot process's side of the bridge (`npm run bot:wechaty`, main.ts builds the
// Wechaty). It forwards each text a contact writes to the service and says the replies that come
// back, and it serves the send endpoint through which the service's outbox delivers pushes and
// late replies. It holds no state worth keeping: deduplication, sessions and the record of what was
// said are the service's.
//
// What is forwarded: text from a person (not the bot's own messages, not official accounts).
// Rooms are not: the conversation asks for an ID number and a phone, and the bot's answers repeat
// personal details, none of which belongs in a group. Mentioned in a room, the bot asks to be
// written to privately. A voice message gets a request to type (the puppet gives no transcript).
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { types, type Contact, type Message, type Wechaty } from "wechaty";
import type { Logger } from "../../src/shared/logger.ts";
import { BOT_SEND_PATH, BRIDGE_ANSWER_MS, BRIDGE_PATH, bearer, botSendSchema, bridgeAnswerSchema, checkBearer, MAX_TEXT, type BridgeAnswer, type BridgeInbound } from "./protocol.ts";

export const ROOM_HINT = "您好！为保护您的个人信息，请直接私聊我办理找工作登记。";
export const VOICE_HINT = "没听清您的语音，请打字回复，谢谢。";
export const SERVICE_DOWN_HINT = "系统正忙，请过几分钟再发一次，谢谢。";
/** The service would not take the message (not a text it reads): sending it again would not help. */
export const REFUSED_HINT = "这条消息没能处理，请换个说法，或回复\"人工\"。";

export interface WechatyBotOptions {
  /** built with the deployment's puppet; not yet started */
  wechaty: Wechaty;
  /** the service's base URL (WECHATY_SERVICE_URL) */
  serviceUrl: string;
  /** WECHATY_BRIDGE_TOKEN */
  token: string;
  /** where the send endpoint listens (port 0: any free port) */
  listen: { hostname: string; port: number };
  log: Logger;
  /** waits before forwarding a message again while the service is unreachable or failing */
  retryDelaysMs?: number[];
  fetch?: typeof fetch;
}

export interface WechatyBot {
  /** the send endpoint's base URL, for the service's WECHATY_BOT_URL */
  url: string;
  /** resolves once every message received so far has been forwarded and its replies said */
  idle(): Promise<void>;
  /** stops taking messages, lets those in hand finish, then stops wechaty and the endpoint */
  stop(): Promise<void>;
}

// Longer than the bridge's own deadline, so that the service always answers before the bot gives up.
const FORWARD_TIMEOUT_MS = BRIDGE_ANSWER_MS + 7_000;
// Wechaty ids of outbox messages already said: the dispatcher sends again after a timeout.
const REMEMBERED_SENDS = 2_000;

export async function startWechatyBot(options: WechatyBotOptions): Promise<WechatyBot> {
  const { wechaty, log, token } = options;
  const request = options.fetch ?? fetch;
  const retryDelaysMs = options.retryDelaysMs ?? [1_000, 3_000, 10_000];
  const bridgeUrl = `${options.serviceUrl.replace(/\/$/, "")}${BRIDGE_PATH}`;

  // One queue per contact: a contact's messages reach the service in the order written, and a
  // turn's replies are said before the next message goes (or a push cuts in).
  const queues = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  function enqueue(contactId: string, work: () => Promise<void>): Promise<void> {
    const run = (queues.get(contactId) ?? Promise.resolve()).then(work).catch((error: unknown) => log.error({ err: error, contactId }, "wechaty bot task failed"));
    queues.set(contactId, run);
    inFlight.add(run);
    void run.finally(() => {
      inFlight.delete(run);
      if (queues.get(contactId) === run) queues.delete(contactId);
    });
    return run;
  }
  async function idle() {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  /** Posts a message to the service, again after a pause while it is down. Null: give up; "refused": the service will not take it. */
  async function forward(inbound: BridgeInbound): Promise<BridgeAnswer | null | "refused"> {
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const response = await request(bridgeUrl, {
          method: "POST",
          headers: { "content-type": "application/json", ...bearer(token) },
          body: JSON.stringify(inbound),
          signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        });
        if (response.ok) return bridgeAnswerSchema.parse(await response.json());
        if (response.status === 401 || response.status === 403) {
          log.error({ status: response.status }, "the service refused the bridge token: WECHATY_BRIDGE_TOKEN differs between the service and the bot");
          return null;
        }
        if (response.status < 500 && response.status !== 429) {
          log.error({ status: response.status, answer: await response.text() }, "the service refused a forwarded message");
          return "refused";
        }
        failure = `HTTP ${response.status}`;
      } catch (error) {
        failure = (error as Error).message;
      }
      // The same message id goes again: if the service did record the turn, it answers "duplicate".
      const delay = retryDelaysMs[attempt];
      if (delay === undefined) {
        log.error({ messageId: inbound.messageId, failure }, "the service stayed unreachable: message dropped");
        return null;
      }
      log.warn({ messageId: inbound.messageId, failure, retryInMs: delay }, "the service is unreachable: forwarding again");
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  // Message ids whose replies were said: the puppet may emit a message again (after a reconnect),
  // and the service answers a repeat with the replies it gave, for a bot that never got them.
  const answered = new Set<string>();
  async function converse(message: Message, talker: Contact) {
    if (answered.has(message.id)) return;
    // The service takes texts up to its limit; a longer one is cut rather than refused.
    const answer = await forward({ messageId: message.id, from: talker.id, text: message.text().slice(0, MAX_TEXT), at: message.date().toISOString() });
    if (answer === "refused") {
      await talker.say(REFUSED_HINT);
      return;
    }
    if (!answer) {
      await talker.say(SERVICE_DOWN_HINT);
      return;
    }
    for (const reply of answer.replies) await talker.say(reply);
    answered.add(message.id);
    if (answered.size > REMEMBERED_SENDS) answered.delete(answered.values().next().value!);
  }

  let accepting = true;
  // Everything that decides whether a message is taken runs before the first await, so that a
  // message is in the queue (and idle() waits for it) as soon as wechaty has emitted it.
  wechaty.on("message", (message: Message) => {
    if (!accepting || message.self()) return;
    const talker = message.talker();
    const room = message.room();
    if (room) {
      void enqueue(`room:${room.id}`, async () => {
        if (await message.mentionSelf()) await room.say(ROOM_HINT, talker);
      });
      return;
    }
    if (talker.type() === types.Contact.Official) return;
    if (message.type() === types.Message.Audio) {
      void enqueue(talker.id, async () => void (await talker.say(VOICE_HINT)));
      return;
    }
    // Pictures, stickers, links, recalls and system notices carry nothing the flows can read.
    if (message.type() !== types.Message.Text) return;
    void enqueue(talker.id, () => converse(message, talker));
  });
  wechaty.on("scan", (qrcode: string, status: types.ScanStatus) => log.info({ status: types.ScanStatus[status], qrcode }, "wechaty: scan to log in"));
  wechaty.on("login", (user: Contact) => log.info({ user: user.id }, "wechaty: logged in"));
  wechaty.on("logout", (user: Contact) => log.warn({ user: user.id }, "wechaty: logged out"));
  wechaty.on("error", (error: Error) => log.error({ err: error }, "wechaty error"));

  // The send endpoint (WECHATY_BOT_URL), for the service's outbox dispatcher only. A repeated
  // request for the same outbox id (the dispatcher timed out while the contact's queue was busy)
  // shares the send already under way rather than starting another.
  const said = new Map<string, string>();
  const sending = new Map<string, Promise<{ messageId: string } | { error: unknown }>>();
  const endpoint = new Hono();
  endpoint.post(BOT_SEND_PATH, async (c) => {
    const check = checkBearer(c.req.header("authorization"), token);
    if (check !== "ok") return c.json({ error: { code: check === "missing" ? "unauthorized" : "forbidden", message: "needs Authorization: Bearer <WECHATY_BRIDGE_TOKEN>" } }, check === "missing" ? 401 : 403);
    const parsed = botSendSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: { code: "bad_request", message: "expected {id, to, text}" } }, 400);
    const { id, to, text } = parsed.data;
    const already = said.get(id);
    if (already !== undefined) return c.json({ messageId: already }, 200);
    if (!wechaty.isLoggedIn) return c.json({ error: { code: "unavailable", message: "the bot is not logged in" } }, 503);
    let underWay = sending.get(id);
    if (!underWay) {
      // A lookup that fails is the puppet's hiccup (try again); one that finds nobody is final.
      let contact: Contact | undefined;
      try {
        contact = await wechaty.Contact.find({ id: to });
      } catch (error) {
        log.warn({ err: error, outboxId: id }, "the puppet could not look the contact up");
        return c.json({ error: { code: "unavailable", message: "the puppet could not look the contact up" } }, 503);
      }
      if (!contact) return c.json({ error: { code: "not_found", message: "no such contact for this bot" } }, 404);
      const found = contact;
      underWay = new Promise((resolve) => {
        void enqueue(to, async () => {
          try {
            resolve({ messageId: (await found.say(text))?.id ?? "" });
          } catch (error) {
            resolve({ error });
          }
        });
      });
      sending.set(id, underWay);
    }
    const outcome = await underWay;
    sending.delete(id);
    if ("error" in outcome) {
      log.warn({ err: outcome.error, outboxId: id }, "the puppet did not send a message");
      return c.json({ error: { code: "unavailable", message: "the puppet did not send the message" } }, 502);
    }
    said.set(id, outcome.messageId);
    if (said.size > REMEMBERED_SENDS) said.delete(said.keys().next().value!);
    return c.json({ messageId: outcome.messageId }, 200);
  });
  endpoint.get("/health", (c) => c.json({ loggedIn: wechaty.isLoggedIn }, 200));

  const server: ServerType = await new Promise((resolve, reject) => {
    const started = serve({ fetch: endpoint.fetch, port: options.listen.port, hostname: options.listen.hostname }, () => resolve(started));
    started.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  try {
    await wechaty.start();
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  log.info({ url, service: options.serviceUrl }, "wechaty bot started");

  return {
    url,
    idle,
    async stop() {
      accepting = false;
      await idle();
      await wechaty.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
