// The channel registry: adding a channel is one folder under bots/ and one line here.
import type { ChannelDefinition } from "./types.ts";
import { webChannel } from "./web/index.ts";

export const channels: readonly ChannelDefinition[] = [webChannel];
export type { ChannelDefinition, ChannelContext, ChannelPorts, InboundMessage } from "./types.ts";
