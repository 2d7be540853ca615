// The channels' names, as stored with every identity, message and outbox row. The channel registry
// (bots/index.ts) defines each channel under its name here; the domain names the one channel it has
// to know, SMS: a phone number is an SMS address (a code is texted to it, a coordinator alerted on it).
export const CHANNEL = { web: "web", sms: "sms", wechat: "wechat", wechaty: "wechaty" } as const;

export type ChannelName = (typeof CHANNEL)[keyof typeof CHANNEL];
