// The web simulator: anyone can try every flow in a browser, without WeChat or a SIM card. It
// looks like an SMS phone (messages as long as an SMS holds, numbered menus) but proves nothing: anyone can
// type any sender id, so an id that looks like a phone number is only a name. Like WeChat, it asks
// for the phone, and joins a record only through the SMS code sent to that phone.
import { CHANNEL } from "../../src/shared/channel-names.ts";
import { SMS_TEXT_CHARS } from "../../src/shared/sms-text.ts";
import type { ChannelDefinition } from "../types.ts";
import { mountSimulator } from "./routes.ts";

export const webChannel: ChannelDefinition = {
  name: CHANNEL.web,
  capabilities: { textBudget: SMS_TEXT_CHARS, joinsReplies: true, maxMenuOptions: 5, knowsPhone: false },
  repliesInline: true,
  enabled: (config) => config.simulatorEnabled,
  mount: mountSimulator,
  // Pushes to a simulated phone are "delivered" as soon as they are recorded: the page reads them.
  delivery: () => ({ sender: { send: async () => ({ delivered: true }) }, ratePerSecond: 1000 }),
};
