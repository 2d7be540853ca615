// The channel registry: adding a channel is one folder under bots/ and one line here.
import type { ChannelDefinition } from "./types.ts";
import { smsChannel } from "./sms/index.ts";
import { webChannel } from "./web/index.ts";
import { wechatChannel } from "./wechat/index.ts";
import { wechatyChannel } from "./wechaty/index.ts";

export const channels: readonly ChannelDefinition[] = [webChannel, smsChannel, wechatChannel, wechatyChannel];
export type { ChannelDefinition, ChannelContext, ChannelPorts, InboundMessage } from "./types.ts";
