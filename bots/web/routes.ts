import { createRoute, z } from "@hono/zod-openapi";
import { randomUUID } from "node:crypto";
import type { Router } from "../../src/http/context.ts";
import { simulatorLimit } from "../../src/http/rate-limits.ts";
import type { ChannelContext } from "../types.ts";
import { webChannel } from "./index.ts";
import { simulatorPage } from "./page.ts";

const sendRoute = createRoute({
  method: "post",
  path: "/api/simulator/messages",
  summary: "Send one message as a simulated user; the bot's replies come back",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            from: z.string().trim().min(1).max(64).openapi({ description: "any id: it names the simulated user and proves nothing (not even a phone-like id)", example: "sim-7f3a" }),
            text: z.string().max(1000),
            id: z.string().trim().min(1).max(100).optional().openapi({ description: "message id: the same id twice is one turn" }),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "the replies, each one SMS-sized message",
      content: { "application/json": { schema: z.object({ replies: z.array(z.object({ text: z.string() })), duplicate: z.boolean() }) } },
    },
  },
});

const inboxRoute = createRoute({
  method: "get",
  path: "/api/simulator/messages",
  summary: "Everything sent to a simulated user so far, pushes included",
  request: { query: z.object({ to: z.string().trim().min(1).max(64) }) },
  responses: {
    200: {
      description: "messages, oldest first",
      content: { "application/json": { schema: z.object({ messages: z.array(z.object({ text: z.string(), at: z.string(), purpose: z.string() })) }) } },
    },
  },
});

const pageRoute = createRoute({
  method: "get",
  path: "/simulator",
  summary: "A page to chat with the bot in a browser, as on a phone",
  responses: { 200: { description: "the simulator page", content: { "text/html": { schema: z.string() } } } },
});

export function mountSimulator(app: Router, { ports, rateLimits }: ChannelContext) {
  app.use("/api/simulator/messages", simulatorLimit(rateLimits));
  app.openapi(sendRoute, async (c) => {
    const { from, text, id } = c.req.valid("json");
    const outcome = await ports.handle({ channel: webChannel.name, address: from, messageId: id ?? randomUUID(), text }, webChannel);
    return c.json({ replies: outcome.replies.map((reply) => ({ text: reply })), duplicate: outcome.duplicate }, 200);
  });

  app.openapi(inboxRoute, async (c) => {
    const messages = await ports.sentTo(webChannel.name, c.req.valid("query").to);
    return c.json({ messages }, 200);
  });

  app.openapi(pageRoute, (c) => c.html(simulatorPage, 200));
}
