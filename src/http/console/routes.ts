// The operator console, server-rendered by the same app (no build step): pages over the very verbs
// the API calls, so a page cannot do what the operator's role and regions do not allow. A page
// needs a console session (an HttpOnly cookie); a form that changes something carries the
// session's CSRF token.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { consoleSession, csrfMatches, CONSOLE_SESSION, signInWithToken, signOut, type ConsoleSession } from "../../services/console-sessions.ts";
import { dueTasks, markTaskDone } from "../../services/plans.ts";
import { chinaDayStart, chinaWallClock } from "../../shared/china-time.ts";
import { DomainError } from "../../shared/errors.ts";
import { operatorContext } from "../auth.ts";
import type { AppEnv, Router } from "../context.ts";
import { T } from "./text.ts";

const COOKIE = "zt_console";
const HOME = "/console/today";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

function layout(title: string, body: Page, session?: ConsoleSession): Page {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${T.product}${T.console}</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.55 system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1d2a22; background: #f4f6f5; }
  header { background: #1f7a4d; color: #fff; padding: 8px 14px; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; }
  header strong { font-size: 17px; }
  header nav { display: flex; flex-wrap: wrap; gap: 4px 12px; }
  header a { color: #fff; }
  header form { margin-left: auto; }
  main { max-width: 52em; margin: 0 auto; padding: 14px; }
  h1 { font-size: 20px; margin: 6px 0 12px; }
  .card { background: #fff; border: 1px solid #d8dfdb; border-radius: 8px; padding: 10px 12px; margin: 10px 0; }
  .card h2 { font-size: 16px; margin: 0 0 4px; }
  .muted { color: #5d6a63; font-size: 14px; }
  .overdue { color: #b3261e; font-weight: 600; }
  .error { color: #b3261e; font-weight: 600; }
  label { display: block; margin: 8px 0 4px; }
  input[type=text], input[type=password], input:not([type]) { width: 100%; font: inherit; padding: 8px; border: 1px solid #aab6af; border-radius: 6px; }
  button { font: inherit; padding: 8px 16px; border: 0; border-radius: 6px; background: #1f7a4d; color: #fff; min-height: 40px; }
  header button { background: transparent; border: 1px solid #fff; min-height: 0; padding: 2px 10px; }
  .row { display: flex; gap: 8px; align-items: end; }
  .row input { flex: 1; }
</style>
</head>
<body>
${session
  ? html`<header>
  <strong>${T.product}${T.console}</strong>
  <nav aria-label="${T.console}"><a href="/console/today">${T.nav.today}</a></nav>
  <span class="muted" style="color:#e6f2eb">${session.operator.name} · ${T.roles[session.operator.role]}</span>
  <form method="post" action="/console/sign-out"><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${T.signOut}</button></form>
</header>`
  : ""}
<main>
${body}
</main>
</body>
</html>`;
}

function signInPage(error?: string): Page {
  return layout(
    T.signIn.title,
    html`<h1>${T.signIn.title}</h1>
<div class="card">
  <p class="muted">${T.signIn.smsLater}</p>
  <form method="post" action="/console/sign-in">
    <label for="token">${T.signIn.tokenLabel}</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required aria-describedby="token-hint${error ? " token-error" : ""}">
    <p id="token-hint" class="muted">${T.signIn.tokenHint}</p>
    ${error ? html`<p id="token-error" class="error" role="alert">${error}</p>` : ""}
    <button type="submit">${T.signIn.tokenButton}</button>
  </form>
</div>`,
  );
}

/** The cookie, Secure where the service is reached over HTTPS. */
function setSessionCookie(c: Context<AppEnv>, value: string) {
  const secure = c.get("deps").config.publicBaseUrl.startsWith("https:") || new URL(c.req.url).protocol === "https:";
  setCookie(c, COOKIE, value, { httpOnly: true, secure, sameSite: "Lax", path: "/console", maxAge: Math.floor(CONSOLE_SESSION.lifetimeMs / 1000) });
}

/** A page needs a session; without one, the sign-in page. */
const withSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const cookie = getCookie(c, COOKIE);
  const session = cookie ? await consoleSession(c.get("deps"), cookie) : null;
  if (!session) return c.redirect("/console/sign-in", 302);
  c.set("operator", session.operator);
  c.set("consoleSession", session);
  await next();
};

type SessionContext = Context<AppEnv>;

/** A changing form's CSRF token, or the refusal. */
async function form(c: SessionContext): Promise<Record<string, string> | null> {
  const body = await c.req.parseBody();
  const fields = Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  return csrfMatches(c.get("consoleSession"), fields.csrf) ? fields : null;
}

/** A verb's refusal, as a page. */
function refusal(c: SessionContext, error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  const message = error.code === "forbidden" ? T.errors.forbidden : error.code === "not_found" ? T.errors.notFound : error.message;
  const status = error.code === "forbidden" ? 403 : error.code === "not_found" ? 404 : 400;
  return c.html(layout(message, html`<h1>${message}</h1><p><a href="${HOME}">${T.nav.today}</a></p>`, c.get("consoleSession")), status);
}

function describe(app: Router) {
  const page = (path: string, summary: string, method: "get" | "post" = "get") =>
    app.openAPIRegistry.registerPath({ method, path, summary, responses: { 200: { description: "an HTML page" }, 302: { description: "to the sign-in page, without a session" } } });
  page("/console", "The console: its first page, or the sign-in page");
  page("/console/sign-in", "The console's sign-in page");
  page("/console/sign-in", "Sign in to the console (with an API token, for now); sets the session cookie", "post");
  page("/console/sign-out", "End the console session", "post");
  page("/console/today", "待办: the caller's open tasks in their regions, overdue and soonest first");
  page("/console/tasks/{id}/done", "Mark a task done from the console (a note lands on it)", "post");
}

export function mountConsole(app: Router) {
  describe(app);

  app.get("/console", async (c) => {
    const cookie = getCookie(c, COOKIE);
    const session = cookie ? await consoleSession(c.get("deps"), cookie) : null;
    return c.redirect(session ? HOME : "/console/sign-in", 302);
  });

  app.get("/console/sign-in", (c) => c.html(signInPage()));

  app.post("/console/sign-in", async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === "string" ? body.token.trim() : "";
    if (!token) return c.html(signInPage(T.signIn.refused), 400);
    const signedIn = await signInWithToken(c.get("deps"), token);
    if (!signedIn) return c.html(signInPage(T.signIn.refused), 401);
    setSessionCookie(c, signedIn.cookie);
    return c.redirect(HOME, 303);
  });

  app.post("/console/sign-out", withSession, async (c) => {
    if (!(await form(c))) return c.html(layout(T.errors.expired, html`<h1>${T.errors.expired}</h1>`, c.get("consoleSession")), 403);
    await signOut(c.get("deps"), c.get("consoleSession"));
    deleteCookie(c, COOKIE, { path: "/console" });
    return c.redirect("/console/sign-in", 303);
  });

  app.get("/console/today", withSession, async (c) => {
    const session = c.get("consoleSession");
    const now = c.get("deps").clock();
    const startOfToday = chinaDayStart(now);
    let tasks;
    try {
      tasks = await dueTasks(operatorContext(c), {});
    } catch (error) {
      return refusal(c, error);
    }
    const items = tasks.map((task) => {
      const who = task.plan?.worker.name ?? T.today.noPlan;
      const overdue = task.dueAt < startOfToday;
      return html`<li class="card">
  <h2>${who} · ${T.taskKinds[task.kind] ?? task.kind}</h2>
  <p class="${overdue ? "overdue" : "muted"}">${overdue ? T.today.overdue : T.today.due} ${chinaWallClock(task.dueAt).toISOString().slice(5, 16).replace("T", " ")}</p>
  ${task.note ? html`<p>${task.note}</p>` : ""}
  <form method="post" action="/console/tasks/${task.id}/done" class="row">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <input name="note" aria-label="${T.today.note}" placeholder="${T.today.note}" maxlength="500">
    <button type="submit">${T.today.done}</button>
  </form>
</li>`;
    });
    const saved = c.req.query("done") === "1";
    return c.html(
      layout(
        T.today.title,
        html`<h1>${T.today.title}</h1>
${saved ? html`<p role="status">${T.today.doneSaved}</p>` : ""}
${items.length > 0 ? html`<ul style="list-style:none;padding:0" aria-label="${T.today.title}">${items}</ul>` : html`<p class="muted">${T.today.none}</p>`}`,
        session,
      ),
    );
  });

  app.post("/console/tasks/:id/done", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return c.html(layout(T.errors.expired, html`<h1>${T.errors.expired}</h1>`, c.get("consoleSession")), 403);
    try {
      const note = fields.note?.trim().slice(0, 500);
      await markTaskDone(operatorContext(c), { taskId: c.req.param("id"), ...(note ? { note } : {}) });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect(`${HOME}?done=1`, 303);
  });
}
