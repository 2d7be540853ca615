// The bridge route: the wechaty bot process posts each message a contact wrote, and says the replies
// in the answer. A request without the shared token is refused before anything is read or recorded.
// A turn slower than the answer deadline is answered with no replies; they stay in the outbox and
// the dispatcher sends them to the bot's send endpoint, so nothing is lost either way.
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { withinDeadline } from "../../src/http/after-response.ts";
import { AppError } from "../../src/http/errors.ts";
import type { AppEnv, Router } from "../../src/http/context.ts";
import type { ChannelContext } from "../types.ts";
import { wechatyChannel } from "./index.ts";
import { BRIDGE_ANSWER_MS, BRIDGE_PATH, bridgeAnswerSchema, bridgeInboundSchema, checkBearer } from "./protocol.ts";

const errorContent = { "application/json": { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } };

const bridgeRoute = (authenticate: MiddlewareHandler<AppEnv>) =>
  createRoute({
    method: "post",
    path: BRIDGE_PATH,
    summary: "wechaty bot process: a message a contact wrote; the replies to say come back",
    security: [{ bearer: [] }],
    middleware: [authenticate],
    request: { body: { required: true, content: { "application/json": { schema: bridgeInboundSchema } } } },
    responses: {
      200: { description: "the replies to say now (empty when the turn was slow: the outbox sends them)", content: { "application/json": { schema: bridgeAnswerSchema } } },
      400: { description: "not a bridge message", content: errorContent },
      401: { description: "no bearer token: nothing is recorded", content: errorContent },
      403: { description: "not WECHATY_BRIDGE_TOKEN: nothing is recorded", content: errorContent },
    },
  });

export function mountWechatyBridge(app: Router, { ports, config, log }: ChannelContext) {
  const token = config.WECHATY_BRIDGE_TOKEN;
  // enabled() mounts the channel only with a token; this keeps a misuse from opening the route.
  if (!token) throw new Error("the wechaty bridge needs WECHATY_BRIDGE_TOKEN");

  const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
    const check = checkBearer(c.req.header("authorization"), token);
    if (check === "missing") throw new AppError("unauthorized", "the wechaty bridge needs Authorization: Bearer <WECHATY_BRIDGE_TOKEN>");
    if (check === "wrong") throw new AppError("forbidden", "the bearer token is not WECHATY_BRIDGE_TOKEN");
    await next();
  };

  app.openapi(bridgeRoute(authenticate), async (c) => {
    const inbound = c.req.valid("json");
    const message = { channel: wechatyChannel.name, address: inbound.from, messageId: inbound.messageId, text: inbound.text };
    const turn = ports.handle(message, wechatyChannel);
    const outcome = await withinDeadline(turn, BRIDGE_ANSWER_MS, log, "a slow wechaty turn");
    if (!outcome) {
      log.info({ messageId: inbound.messageId }, "slow wechaty turn: its replies go through the outbox");
      return c.json({ replies: [], duplicate: false }, 200);
    }
    // A fresh turn answered in time, or a retry of one whose answer the bot never got: the same replies.
    if (outcome.answeredInline && outcome.replies.length > 0) return c.json({ replies: outcome.replies, duplicate: outcome.duplicate }, 200);
    if (outcome.duplicate || outcome.replies.length === 0) return c.json({ replies: [], duplicate: outcome.duplicate }, 200);
    // Take the replies over from the outbox before handing them to the bot. If the dispatcher took
    // some first (only once the hold ran out), the bot still says them all: a repeated line is
    // better than a lost one.
    const taken = await ports.repliedInline(wechatyChannel.name, inbound.messageId, outcome.replies.length);
    return c.json({ replies: taken > 0 ? outcome.replies : [], duplicate: false }, 200);
  });
}
