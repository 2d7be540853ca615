// Linking a chat to the worker behind a phone number: someone who registered by SMS and now writes
// on WeChat, or a WeChat worker proving the number they typed. The number is proved by a code sent
// to it by SMS; only then does this chat act for that worker. Offered where the channel does not
// know the phone (WeChat); on SMS the sender's number is already proof.
import { z } from "zod";
import type { Outcome, Step } from "../flow.ts";
import { compact, readMobile } from "../input.ts";
import { maskPhone } from "../../shared/masking.ts";
import type { Choice } from "../input.ts";

/** The steps this flow owns. */
export const PHONE_LINK_STEP_IDS = ["linkPhone", "linkCode"] as const;
export type PhoneLinkStep = (typeof PHONE_LINK_STEP_IDS)[number];

/** Linking: the phone the code was sent to; the welcome's "我登记过" on its way here. */
export interface PhoneLinkScratch {
  linkPhone?: string;
  linking?: boolean;
}
export const phoneLinkScratchSchema = z.object({ linkPhone: z.string(), linking: z.boolean() }).partial();

/** The menu option that links a phone (its words: the vocabulary of the menus that show it). */
export const LINK_CHOICE: Choice = { key: "link", label: "绑定手机号" };
/** What a reply to a code sent by SMS may mean, and what is said back: here and in registration's roster check. */
export const CODE_REPLIES = {
  resend: ["重发", "再发", "没收到", "收不到"] as readonly string[],
  resent: "已重新发送。",
  wrong: "验证码不对，请再看一下短信。",
  expired: "验证码过期了，已重新发送。",
} as const;

export const PHONE_LINK_STEPS: Step[] = [
  {
    id: "linkPhone",
    prompt: () => ({ text: "请回复您登记时用的手机号码（11位），我们发短信验证码给您" }),
    read({ text }) {
      const phone = readMobile(text);
      if (!phone) return { error: "手机号码是1开头的11位数字，请再发一次" };
      return { carry: { linkPhone: phone }, events: [{ type: "phone_code_requested", phone }] };
    },
    next: () => "linkCode",
  },
  {
    id: "linkCode",
    prompt: ({ scratch }) => ({ text: `验证码已发到${maskPhone(scratch.linkPhone ?? "")}，请回复6位验证码；没收到回复"重发"` }),
    async read({ text }, { scratch }, env): Promise<Outcome> {
      const phone = scratch.linkPhone!;
      const typed = compact(text);
      const again = { stay: true, askAgain: true } as const;
      if (CODE_REPLIES.resend.includes(typed)) {
        return { ...again, events: [{ type: "phone_code_requested", phone }], say: [{ kind: "text", text: CODE_REPLIES.resent }] };
      }
      if (!/^\d{6}$/.test(typed)) return { error: '请回复短信里的6位数字；没收到回复"重发"' };
      const check = await env.ctx.lookups.checkPhoneCode(phone, typed);
      switch (check.result) {
        case "ok":
          if (!check.workerName) {
            return { carry: {}, say: [{ kind: "text", text: "号码验证好了，但还没有用它登记过。回复1开始登记。" }] };
          }
          return {
            carry: { linkPhone: phone },
            events: [{ type: "phone_linked", phone, code: typed }],
            say: [{ kind: "text", text: `绑定好了！${check.workerName}，以后在这里也能找工作、收通知。` }],
          };
        case "wrong":
          return { ...again, events: [{ type: "phone_code_failed", phone }], say: [{ kind: "text", text: CODE_REPLIES.wrong }] };
        case "expired":
        case "none":
          return { ...again, events: [{ type: "phone_code_requested", phone }], say: [{ kind: "text", text: CODE_REPLIES.expired }] };
        case "locked":
          return { carry: {}, say: [{ kind: "text", text: '输错太多次了。请回复"人工"，协理员帮您核实。' }] };
      }
    },
    // Linked: the worker's menu. Not linked: back to the welcome, to register or try again.
    next: ({ scratch }) => (scratch.linkPhone ? "home" : "purpose"),
  },
];
