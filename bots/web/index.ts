// The web simulator: anyone can try every flow in a browser, without WeChat or a SIM card. It
// behaves like an SMS phone (70-character messages, numbered menus); when the simulated sender id
// is a Chinese mobile number, it counts as the known phone, as on SMS.
import type { ChannelDefinition } from "../types.ts";
import { mountSimulator } from "./routes.ts";

export const webChannel: ChannelDefinition = {
  name: "web",
  capabilities: { textBudget: 70, maxMenuOptions: 5, knowsPhone: true },
  repliesInline: true,
  enabled: (config) => config.simulatorEnabled,
  mount: mountSimulator,
  // Pushes to a simulated phone are "delivered" as soon as they are recorded: the page reads them.
  delivery: () => ({ sender: { send: async () => ({ delivered: true }) }, ratePerSecond: 1000 }),
};
