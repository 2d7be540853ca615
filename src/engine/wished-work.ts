// The jobs the registration menu offers, and how a wish reads back to the worker: in the menu's words
// where the menu has them (车间普工, not the classification's 其他生产辅助人员), else the occupation's name.
import { occupationByCode } from "../../matching/occupations.ts";
import type { Choice } from "./input.ts";

/** Jobs the policy sources name as fitting (domain.md), each with the occupation code it stands for (their words: flows/registration.words.json). */
export const JOBS: readonly Choice[] = [
  { key: "4-10-01-06", label: "家政服务" },
  { key: "4-10-01-05", label: "养老护理" },
  { key: "4-02-07-08", label: "快递配送" },
  { key: "4-03-02-05", label: "餐饮服务" },
  { key: "6-31-99-00", label: "车间普工" },
  { key: "6-29-99-00", label: "建筑工地" },
  { key: "6-01-99-00", label: "农产品加工" },
  { key: "4-01-06-01", label: "电商" },
  { key: "5-05-06-05", label: "手工编织" },
  { key: "4-09-08-01", label: "保洁" },
];

/** A wished occupation as the worker reads it back (the summary, 我的信息), and so as their coordinator reads it. */
export const wishName = (code: string): string => JOBS.find((job) => job.key === code)?.label ?? occupationByCode(code)?.name ?? code;
