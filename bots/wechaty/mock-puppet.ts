// For the suite: wechaty and its mock puppet, from the bot's own packages (package.json here), which
// resolve only from this folder.
export { WechatyBuilder, type Message, type Wechaty } from "wechaty";
export { mock, PuppetMock } from "wechaty-puppet-mock";
