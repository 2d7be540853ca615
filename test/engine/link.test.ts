// Linking a chat to the worker behind a phone number, as transcripts: offered only where the
// channel does not know the phone; a code by SMS; wrong codes, a resend, and a number nobody
// registered with.
import { describe, expect, it } from "vitest";
import { conversation, context, fakeBoard, playTranscript, REGISTERED, SMS, WECHAT } from "./support.ts";

const PHONE = "+8613812345678";

describe("linking a WeChat chat to an SMS registration", () => {
  it("proves the phone with the code and lands on the worker's menu", async () => {
    const board = fakeBoard({ codes: { [PHONE]: { code: "246810", workerName: "张三" } } });
    const chat = conversation(context(WECHAT, undefined, { board }));
    await playTranscript(chat, [
      ["你好", ["3 我登记过(绑定手机)"]],
      ["3", ["登记时用的手机号码"]],
      ["138 1234 5678", ["验证码已发到138****5678"], [{ type: "phone_code_requested", phone: PHONE }]],
      ["123456", ["验证码不对"], [{ type: "phone_code_failed", phone: PHONE }]],
      ["重发", ["已重新发送"], [{ type: "phone_code_requested", phone: PHONE }]],
      ["abc", ["6位数字"]],
      ["２４６８１０", ["绑定好了！张三", "1 找工作"], [{ type: "phone_linked", phone: PHONE, code: "246810" }]],
    ]);
  });

  it("says so when nobody registered with the number, and goes back to the welcome", async () => {
    const board = fakeBoard({ codes: { [PHONE]: { code: "111111", workerName: null } } });
    const chat = conversation(context(WECHAT, undefined, { board }));
    await playTranscript(chat, [
      ["绑定手机", ["登记时用的手机号码"]],
      ["13812345678", ["验证码已发到"], ["phone_code_requested"]],
      ["111111", ["还没有用它登记过", "1 找工作"]],
    ]);
  });

  it("a registered WeChat worker can prove their number from the menu", async () => {
    const board = fakeBoard({ codes: { [PHONE]: { code: "222222", workerName: "张三" } } });
    const chat = conversation(context(WECHAT, REGISTERED, { board }));
    await playTranscript(chat, [["你好", ["6 绑定手机号"]], ["6", ["手机号码"]], ["13812345678", [], ["phone_code_requested"]], ["222222", ["绑定好了"], ["phone_linked"]]]);
  });

  it("is not offered on SMS, where the sender's number is already proof", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    const first = await chat.say("你好");
    expect(first.sent.join("\n")).not.toContain("绑定");
    const registered = conversation(context(SMS, REGISTERED), { phone: PHONE });
    expect((await registered.say("你好")).sent.join("\n")).not.toContain("绑定");
  });
});
