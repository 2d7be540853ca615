// A registered worker's home: the menu they rest on between tasks (jobs, benefits, their record,
// a coordinator, and linking a phone where the channel does not know it).
import { NOT_A_CHOICE, type Step } from "../flow.ts";
import { compact, type Choice } from "../input.ts";
import { ABOUT_SUBSIDIES, REANSWER, showBenefits } from "./benefit-questions.ts";
import { myApplicationsText, startJobSearch } from "./job-search.ts";
import { LINK_CHOICE } from "./phone-link.ts";

/** The steps this flow owns. */
export const HOME_STEP_IDS = ["home"] as const;
export type HomeStep = (typeof HOME_STEP_IDS)[number];

/** A registered worker's menu (its words in home.words.json); the global words (人工, 我的信息, 修改) work here as everywhere. */
const HOME_CHOICES: Choice[] = [
  { key: "jobs", label: "找工作" },
  { key: "benefits", label: "补贴政策" },
  { key: "profile", label: "我的信息" },
  { key: "edit", label: "修改信息" },
  { key: "human", label: "找协理员" },
];

export const HOME_STEPS: Step[] = [
  {
    id: "home",
    noBackHint: true,
    prompt: (_position, env) => ({ text: "请回复数字：", choices: [...HOME_CHOICES, ...(env.ctx.capabilities.knowsPhone ? [] : [LINK_CHOICE])] }),
    async read(reply, _position, env) {
      // 找到工作了, 已经上班了: their coordinator records it (and asks where); pushes stop only with 退订.
      const said = compact(reply.text);
      if (FOUND_WORK.test(said)) {
        return {
          stay: true,
          events: [{ type: "human_requested", step: "home", note: "说已找到工作，请核实就业情况" }],
          say: [{ kind: "text", text: '恭喜您找到工作！我们会告诉协理员，请他和您核实。不想再收岗位信息，请回复"退订"。' }],
        };
      }
      if (REANSWER.test(said)) return showBenefits(env, "", true);
      // 公益岗位怎么申请 is about the benefit, not a job search for its 岗位.
      if (ABOUT_SUBSIDIES.test(said)) return showBenefits(env, reply.text);
      // 我报名的那个厂怎么样了: their applications (我的报名 alone is a global word).
      if (ASKS_AFTER_APPLICATION.test(said)) return { stay: true, askAgain: true, say: await myApplicationsText(env) };
      const [choice] = reply.chosen;
      if (!choice) return { error: NOT_A_CHOICE };
      if (choice.key === "jobs") return startJobSearch(env);
      if (choice.key === "benefits") return showBenefits(env, reply.text);
      if (choice.key === "link") return { carry: { linking: true } };
      return { run: choice.key as "profile" | "edit" | "human" };
    },
    next: ({ scratch }) => (scratch.jobs ? "jobList" : scratch.linking ? "linkPhone" : scratch.benefitAsking ? "benefitQuestion" : "home"),
  },
];

/** A worker asking after what they applied for, in a sentence. */
const ASKS_AFTER_APPLICATION = /报(了|过)?名的|报的名|报名.*(怎么样|结果|消息|回音|联系|通知|回复|没人)/u;

/** A worker telling us they have work now (not 想上班了, which wants it; nor 不找了, which may only be tired of looking). */
const FOUND_WORK = /找到了?(工作|活|事做)|(?<![想要去])上班了|已经在?(上班|工作|打工)|有工作了/u;
