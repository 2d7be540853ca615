// 修改: a worker changes one field of their record — chosen from a menu, re-answered by the very
// registration step that asks it, then confirmed.
import { z } from "zod";
import { chooseOne, noChoice as no, stateSchemas, yesChoice as yes, type Env, type Step } from "../flow.ts";
import { compact, NO_WORDS } from "../input.ts";
import { FIELD_LABELS, fieldChanges, fieldLines, viewOfAnswers } from "../profile.ts";
import type { Answers, DomainEvent, EditableField, Outbound } from "../types.ts";
import { firstStepOf } from "./registration.ts";

/** The steps this flow owns. */
export const PROFILE_EDIT_STEP_IDS = ["editField", "editConfirm"] as const;
export type ProfileEditStep = (typeof PROFILE_EDIT_STEP_IDS)[number];

/** Where 修改 returns once the field is re-answered, and (there) which field it was. */
export interface ProfileEditScratch {
  editReturn?: "summary" | "editConfirm";
  editedField?: EditableField;
}
export const profileEditScratchSchema = z.object({ editReturn: z.enum(["summary", "editConfirm"]), editedField: stateSchemas.editableField }).partial();

const TODAY = (env: Env) => new Date(env.inbound.at);

export const PROFILE_EDIT_STEPS: Step[] = [
  {
    id: "editField",
    prompt: (_position, env) => ({
      text: "要改哪一项？",
      choices: editableFields(env).map((field) => ({ key: field, label: FIELD_LABELS[field] })),
    }),
    read: (reply, { scratch }) =>
      chooseOne(reply, (key) => ({
        editing: { field: key as EditableField, returnTo: scratch.editReturn ?? "editConfirm" },
      })),
    next: ({ editing }) => (editing ? firstStepOf(editing.field) : "home"),
  },
  {
    id: "editConfirm",
    prompt: ({ answers, scratch }, env) => ({
      text: `改成：${fieldLines(viewOfAnswers(answers), scratch.editedField!, TODAY(env)).join("；")}，对吗？`,
      choices: [yes("确认"), no("取消", ["不改", "算了", ...NO_WORDS])],
    }),
    read: (reply, { answers, scratch }, env) => {
      // 不限 said again to "改成：最低月薪：不限，对吗？" is a yes, not the no its 不 would read as.
      const values = fieldLines(viewOfAnswers(answers), scratch.editedField!, TODAY(env)).map((line) => compact(line.slice(line.indexOf("：") + 1)));
      if (values.includes(compact(reply.text))) return fieldChanged(answers, scratch.editedField!);
      return chooseOne(reply, (key) => (key === "yes" ? fieldChanged(answers, scratch.editedField!) : { say: [{ kind: "text", text: "好的，没有改。" }] }));
    },
    next: () => "home",
  },
];

/** What a confirmed 修改 records and says: after it the worker is at their menu. */
export function fieldChanged(answers: Answers, field: EditableField): { events: DomainEvent[]; say: Outbound[] } {
  return {
    events: fieldChanges(answers, field).map(({ field, value }) => ({ type: "profile_field_changed" as const, field, value })),
    say: [{ kind: "text", text: "已改好。" }],
  };
}

/** The SMS sender's number is their phone: it is not theirs to change by chat. */
function editableFields({ ctx, inbound }: Env): EditableField[] {
  const phoneFromChannel = ctx.capabilities.knowsPhone && Boolean(inbound.phone);
  return (Object.keys(FIELD_LABELS) as EditableField[]).filter((field) => field !== "phone" || !phoneFromChannel);
}
