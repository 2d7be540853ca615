// 活动 (春风行动, 就业援助月): a county official's broadcasts — those scheduled and sent, and a new
// one to a segment of the workers of their regions, with a preview of how many it reaches and the
// text's count against what one SMS holds beside the signature (counted as it is typed where the browser
// runs scripts, and checked again here where it does not).
import type { Context } from "hono";
import { html } from "hono/html";
import type { EmploymentStatus, PovertyStatus } from "../../db/client.ts";
import { CAMPAIGN_LIMITS, INVITATION_TEXT, campaignReach, cancelCampaign, listCampaigns, scheduleCampaign, type CampaignSegment } from "../../services/campaigns.ts";
import { namesOfPlaces } from "../../services/regions.ts";
import { chinaMinuteText, readChinaInstant } from "../../shared/china-time.ts";
import { DomainError } from "../../shared/errors.ts";
import { operatorContext } from "../auth.ts";
import type { AppEnv, Router } from "../context.ts";
import { ANY_LEVEL, csrfRefused, describePage, form, layout, refusal, typedText, typedPlace, withSession } from "./kit.ts";
import { T } from "./text.ts";
import { REGION_CODE } from "../../shared/identifiers.ts";

const POVERTY: PovertyStatus[] = ["registered", "lifted", "monitored"];
const EMPLOYMENT: EmploymentStatus[] = ["seeking", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "notSeeking"];
type Field = "name" | "regionCode" | "text" | "sendAt";

interface Draft {
  values: Record<string, string>;
  poverty: PovertyStatus[];
  employment: EmploymentStatus[];
}

interface PageState {
  draft?: Draft;
  problems?: Partial<Record<Field, string>>;
  reach?: number;
  saved?: string;
  invitationRegion?: string;
  invitationProblem?: string;
}

/** The form as typed, and the campaign it describes, or what is wrong with each field; its place as typed, found (`typedPlace`). */
function readDraft(body: Record<string, string | File | (string | File)[]>, now: Date, place: { code: string } | { problem: string }) {
  const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string).trim() : "");
  const many = (name: string) => ([] as unknown[]).concat(body[name] ?? []).filter((value): value is string => typeof value === "string");
  const draft: Draft = {
    values: { name: text("name"), regionCode: text("regionCode"), text: text("text"), sendAt: text("sendAt"), training: text("training") },
    poverty: POVERTY.filter((status) => many("poverty").includes(status)),
    employment: EMPLOYMENT.filter((status) => many("employment").includes(status)),
  };
  const problems: Partial<Record<Field, string>> = {};
  const { values } = draft;
  if (values.name!.length < 2 || values.name!.length > 30) problems.name = T.campaigns.invalid.name;
  if ("problem" in place) problems.regionCode = place.problem;
  else if (!REGION_CODE.test(place.code)) problems.regionCode = T.campaigns.invalid.regionCode;
  if (!values.text || [...values.text].length > CAMPAIGN_LIMITS.textMax) problems.text = T.campaigns.invalid.text;
  const sendAt = values.sendAt ? readChinaInstant(values.sendAt) : null;
  if (values.sendAt && (!sendAt || sendAt.getTime() < now.getTime() - 60_000)) problems.sendAt = T.campaigns.invalid.sendAt;
  const segment: CampaignSegment = {
    regionCode: "code" in place ? place.code : "",
    ...(draft.poverty.length > 0 ? { povertyStatus: draft.poverty } : {}),
    ...(draft.employment.length > 0 ? { employmentStatus: draft.employment } : {}),
    ...(values.training === "yes" ? { wantsTraining: true } : {}),
  };
  return { draft, problems, segment, sendAt };
}

async function campaignsPage(c: Context<AppEnv>, state: PageState, status: 200 | 400 = 200) {
  const ctx = operatorContext(c);
  const session = c.get("consoleSession");
  let campaigns;
  let places;
  try {
    campaigns = await listCampaigns(ctx, { limit: 100 });
    places = await namesOfPlaces(ctx, campaigns.map((campaign) => (campaign.segment as unknown as CampaignSegment).regionCode));
  } catch (error) {
    return refusal(c, error);
  }
  const draft = state.draft;
  const problems = state.problems ?? {};
  const value = (name: string) => draft?.values[name] ?? "";
  const invalidAttributes = (field: Field) => (problems[field] ? html` aria-invalid="true" autofocus aria-describedby="campaign-${field}-error"` : "");
  const fieldError = (field: Field) => (problems[field] ? html`<p id="campaign-${field}-error" class="error" role="alert">${problems[field]}</p>` : "");
  const csrf = html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
  const length = [...value("text")].length;
  const invitationProblem = state.invitationProblem;
  return c.html(
    layout(
      T.campaigns.title,
      html`<h1>${T.campaigns.title}</h1>
${state.saved ? html`<p role="status">${state.saved}</p>` : ""}
<ul style="list-style:none;padding:0" aria-label="${T.campaigns.list}">
${campaigns.map((campaign) => {
  const segment = campaign.segment as unknown as CampaignSegment;
  return html`<li class="card"><strong>${campaign.name}</strong> <span class="muted">${T.campaigns.status[campaign.status] ?? campaign.status}</span>
  <p>${campaign.text}</p>
  <p class="muted">${places.get(segment.regionCode) || segment.regionCode} · ${chinaMinuteText(campaign.sendAt)}${campaign.recipients !== null ? ` · ${T.campaigns.recipients(campaign.recipients)}` : ""}</p>
  ${campaign.status === "scheduled"
    ? html`<form method="post" action="/console/campaigns/${campaign.id}/cancel">${csrf}<button type="submit" style="background:#b3261e">${T.campaigns.cancel}</button></form>`
    : ""}
</li>`;
})}
</ul>
${campaigns.length === 0 ? html`<p class="muted">${T.campaigns.none}</p>` : ""}
<form method="post" action="/console/campaigns" class="card">
  <h2>${T.campaigns.create}</h2>
  ${csrf}
  <label for="campaign-name">${T.campaigns.name}</label>
  <input id="campaign-name" name="name" maxlength="30" required value="${value("name")}" placeholder="如：2027年春风行动"${invalidAttributes("name")}>
  ${fieldError("name")}
  <label for="campaign-regionCode">${T.campaigns.region}</label>
  <input id="campaign-regionCode" name="regionCode" required value="${value("regionCode")}" placeholder="如：云霄县、莆美镇"${invalidAttributes("regionCode")}>
  ${fieldError("regionCode")}
  <fieldset><legend>${T.worker.poverty}（${T.campaigns.anyIfNone}）</legend>
  ${POVERTY.map((status) => html`<label style="display:inline-block;margin-right:12px"><input type="checkbox" name="poverty" value="${status}"${draft?.poverty.includes(status) ? " checked" : ""}> ${T.poverty[status]}</label>`)}
  </fieldset>
  <fieldset><legend>${T.worker.employment}（${T.campaigns.anyIfNone}）</legend>
  ${EMPLOYMENT.map((status) => html`<label style="display:inline-block;margin-right:12px"><input type="checkbox" name="employment" value="${status}"${draft?.employment.includes(status) ? " checked" : ""}> ${T.employment[status]}</label>`)}
  </fieldset>
  <label><input type="checkbox" name="training" value="yes"${value("training") === "yes" ? " checked" : ""}> ${T.campaigns.onlyTraining}</label>
  <label for="campaign-text">${T.campaigns.text}</label>
  <textarea id="campaign-text" name="text" rows="3" required aria-describedby="campaign-count${problems.text ? " campaign-text-error" : ""}"${problems.text ? html` aria-invalid="true" autofocus` : ""}>${value("text")}</textarea>
  <p class="muted"><output id="campaign-count" aria-live="polite" data-for="campaign-text" data-max="${CAMPAIGN_LIMITS.textMax}" data-words="${T.campaigns.count(0)}">${T.campaigns.count(length)}</output></p>
  ${fieldError("text")}
  <label for="campaign-sendAt">${T.campaigns.sendAt}</label>
  <input id="campaign-sendAt" name="sendAt" type="datetime-local" value="${value("sendAt")}"${invalidAttributes("sendAt")}>
  ${fieldError("sendAt")}
  ${state.reach !== undefined ? html`<p role="status"><strong>${T.campaigns.reach(state.reach)}</strong></p>` : ""}
  <p class="row"><button type="submit" formaction="/console/campaigns/preview" formnovalidate>${T.campaigns.preview}</button> <button type="submit">${T.campaigns.schedule}</button></p>
</form>
<form method="post" action="/console/campaigns/invitation" class="card">
  <h2>${T.campaigns.invitation.title}</h2>
  ${csrf}
  <p class="muted">${T.campaigns.invitation.about}</p>
  <p>${INVITATION_TEXT}</p>
  <label for="invitation-regionCode">${T.campaigns.invitation.region}</label>
  <input id="invitation-regionCode" name="regionCode" required placeholder="如：云霄县"${invitationProblem ? html` aria-invalid="true" autofocus aria-describedby="invitation-regionCode-error"` : ""} value="${state.invitationRegion ?? ""}">
  ${invitationProblem ? html`<p id="invitation-regionCode-error" class="error" role="alert">${invitationProblem}</p>` : ""}
  <p class="row"><button type="submit">${T.campaigns.invitation.send}</button></p>
</form>
<script src="/console/counter.js" defer></script>`,
      session,
    ),
    status,
  );
}

export function mountCampaignPages(app: Router) {
  describePage(app, "get", "/console/campaigns", "活动: the campaigns of the caller's regions, with the form to schedule one (county officials, administrators)");
  describePage(app, "post", "/console/campaigns/preview", "How many workers a campaign's segment reaches now, without scheduling it");
  describePage(app, "post", "/console/campaigns", "Schedule a campaign to a segment of the caller's regions");
  describePage(app, "post", "/console/campaigns/invitation", "Invite the people on the roster of a region who have not talked to the service (one SMS each, once)");
  describePage(app, "post", "/console/campaigns/{id}/cancel", "Cancel a campaign that has not started sending");

  app.get("/console/campaigns", withSession, async (c) => campaignsPage(c, { saved: c.req.query("saved") === "1" ? T.campaigns.saved : c.req.query("saved") === "cancelled" ? T.campaigns.cancelled : "" }));

  app.post("/console/campaigns/preview", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    const body = await c.req.parseBody({ all: true });
    const { draft, problems, segment } = readDraft(body, c.get("deps").clock(), await typedPlace(c, typedText(body.regionCode), ANY_LEVEL));
    if (problems.regionCode) return campaignsPage(c, { draft, problems: { regionCode: problems.regionCode } }, 400);
    // Beside the count, what 安排发送 would refuse in what is already typed (a text too long, a time gone):
    // said now, not one step later. A field not yet filled is no mistake in a preview.
    const typedWrong = Object.fromEntries(
      (["text", "sendAt"] as const).filter((field) => problems[field] && draft.values[field]).map((field) => [field, problems[field]!]),
    );
    try {
      return campaignsPage(c, { draft, problems: typedWrong, reach: await campaignReach(operatorContext(c), segment) });
    } catch (error) {
      return refusal(c, error);
    }
  });

  app.post("/console/campaigns", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    const body = await c.req.parseBody({ all: true });
    const { draft, problems, segment, sendAt } = readDraft(body, c.get("deps").clock(), await typedPlace(c, typedText(body.regionCode), ANY_LEVEL));
    if (Object.keys(problems).length > 0) return campaignsPage(c, { draft, problems }, 400);
    try {
      await scheduleCampaign(operatorContext(c), { name: draft.values.name!, segment, text: draft.values.text!, sendAt: sendAt ?? undefined });
    } catch (error) {
      if (error instanceof DomainError && error.code === "validation_failed") return campaignsPage(c, { draft, problems: { sendAt: T.campaigns.invalid.sendAt } }, 400);
      return refusal(c, error);
    }
    return c.redirect("/console/campaigns?saved=1", 303);
  });

  app.post("/console/campaigns/invitation", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    const body = await c.req.parseBody();
    const typed = typedText(body.regionCode);
    const place = await typedPlace(c, typed, ANY_LEVEL);
    if ("problem" in place || !REGION_CODE.test(place.code)) {
      return campaignsPage(c, { invitationRegion: typed, invitationProblem: "problem" in place ? place.problem : T.campaigns.invalid.regionCode }, 400);
    }
    try {
      await scheduleCampaign(operatorContext(c), { kind: "invitation", name: T.campaigns.invitation.title, segment: { regionCode: place.code } });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect("/console/campaigns?saved=1", 303);
  });

  app.post("/console/campaigns/:id/cancel", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    try {
      await cancelCampaign(operatorContext(c), { campaignId: c.req.param("id") });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect("/console/campaigns?saved=cancelled", 303);
  });
}
