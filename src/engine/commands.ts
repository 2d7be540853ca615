// Global words: understood at every step, before the step reads the reply. They must be the whole
// reply (give or take spaces, case, 全角 and a final punctuation mark), so that a name such as
// "张帮助" is a name.
import { fold } from "./input.ts";

export type Command = "help" | "back" | "restart" | "human" | "profile" | "edit" | "optOut" | "optIn" | "jobs" | "benefits" | "applications" | "erase" | "eraseConfirmed";

const WORDS: Record<Command, readonly string[]> = {
  help: ["帮助", "help", "?"],
  back: ["0", "返回", "上一步"],
  restart: ["重新开始", "重来"],
  human: ["人工", "转人工", "人工服务", "人工客服", "客服", "真人", "找人说话", "找真人", "我要找人说话", "想找人说话", "找个人说话", "有人吗", "有没有人"],
  profile: ["我的信息"],
  edit: ["修改"],
  optOut: ["退订", "td", "stop", "t", "unsubscribe"],
  optIn: ["订阅", "start"],
  jobs: ["找工作", "看岗位", "换工作"],
  benefits: ["补贴", "补贴政策", "有什么补贴"],
  applications: ["我的报名", "报名情况", "查报名", "查看我的报名", "我报的名", "报名记录"],
  erase: ["删除我的信息", "删除信息", "注销", "删除我的资料"],
  eraseConfirmed: ["确认删除"],
};

const COMMAND_BY_WORD = new Map(
  (Object.entries(WORDS) as [Command, readonly string[]][]).flatMap(([command, words]) =>
    words.map((word) => [word, command] as const),
  ),
);

export function readCommand(text: string): Command | null {
  const reply = fold(text).replace(/\s/g, "");
  // A lone "?" is a word of its own; otherwise trailing marks ("人工。", "退订!") do not count.
  const word = reply === "?" ? reply : reply.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, "");
  return COMMAND_BY_WORD.get(word) ?? null;
}
