// What every console page shares: the layout and its navigation, the session a page needs, the
// CSRF check of a changing form, and a verb's refusal as a page.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { OperatorRole } from "../../db/client.ts";
import { consoleSession, csrfMatches, CONSOLE_SESSION, type ConsoleSession } from "../../services/console-sessions.ts";
import { placeTyped } from "../../services/regions.ts";
import { readCsv } from "../../shared/csv.ts";
import { DomainError } from "../../shared/errors.ts";
import { halfWidthAlphanumerics } from "../../shared/width.ts";
import { ROUTE_ACCESS } from "../access.ts";
import { operatorContext } from "../auth.ts";
import type { AppEnv, Router } from "../context.ts";
import { T } from "./text.ts";

export const COOKIE = "zt_console";
export const HOME = "/console/today";

export type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The console's pages, in the order of its navigation. */
const NAV: [href: string, label: keyof typeof T.nav][] = [
  ["/console/today", "today"],
  ["/console/workers", "workers"],
  ["/console/vacancies", "vacancies"],
  ["/console/employers", "employers"],
  ["/console/training", "training"],
  ["/console/campaigns", "campaigns"],
  ["/console/figures", "figures"],
  ["/console/imports", "imports"],
  ["/console/operators", "operators"],
  ["/console/audit", "audit"],
];

/** The pages a role may open, as the access table says (a page whose verbs refuse the role is not offered). */
function navFor(role: OperatorRole): [string, string][] {
  return NAV.filter(([href]) => {
    const access = ROUTE_ACCESS[`GET ${href}`];
    return access?.kind === "console" && access.roles.includes(role);
  }).map(([href, label]) => [href, T.nav[label]]);
}

/** A mobile number as people read it out (139 1234 5678); the link keeps it whole (tel:+86…). */
export const spokenPhone = (phone: string) => phone.replace(/^\+86(1\d{2})(\d{4})(\d{4})$/u, "$1 $2 $3");

export function layout(title: string, body: Page, session?: ConsoleSession): Page {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
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
  h2 { font-size: 17px; margin: 14px 0 6px; }
  .card { background: #fff; border: 1px solid #d8dfdb; border-radius: 8px; padding: 10px 12px; margin: 10px 0; }
  .card h2, .card h3 { font-size: 16px; margin: 0 0 4px; }
  a.call { display: inline-block; padding: 6px 12px; border: 1px solid #1f7a4d; border-radius: 6px; text-decoration: none; }
  .muted { color: #5d6a63; font-size: 14px; }
  /* text as someone wrote it, its lines kept (a vacancy's description from an API) */
  .written { white-space: pre-line; overflow-wrap: anywhere; }
  .overdue { color: #b3261e; font-weight: 600; }
  .error { color: #b3261e; font-weight: 600; }
  label { display: block; margin: 8px 0 4px; }
  input[type=text], input[type=password], input[type=date], input[type=datetime-local], input:not([type]), select, textarea { width: 100%; font: inherit; padding: 8px; border: 1px solid #aab6af; border-radius: 6px; background: #fff; }
  details summary { cursor: pointer; padding: 6px 0; color: #1f7a4d; }
  progress { accent-color: #1f7a4d; height: 14px; }
  button { font: inherit; padding: 8px 16px; border: 0; border-radius: 6px; background: #1f7a4d; color: #fff; min-height: 40px; }
  header button { background: transparent; border: 1px solid #fff; min-height: 0; padding: 2px 10px; }
  .row { display: flex; gap: 8px; align-items: end; }
  .row input { flex: 1; }
  table th, table td { padding: 5px 8px; border-bottom: 1px solid #e3e9e5; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  table th:first-child, table td:first-child { text-align: left; }
  tfoot th, tfoot td { font-weight: 600; border-top: 2px solid #c5d0ca; }
</style>
</head>
<body>
${session
  ? html`<header>
  <strong>${T.product}${T.console}</strong>
  <nav aria-label="${T.console}">${navFor(session.operator.role).map(([href, label]) => html`<a href="${href}">${label}</a> `)}</nav>
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

/** The sign-in page: the phone and a texted code, or an API token; with what went wrong, or that a code went. */
export function signInPage(state: { tokenError?: string; codeError?: string; codeSent?: boolean; phone?: string } = {}): Page {
  return layout(
    T.signIn.title,
    html`<h1>${T.signIn.title}</h1>
<div class="card">
  <form method="post" action="/console/sign-in/sms">
    <label for="phone">${T.signIn.phoneLabel}</label>
    <input id="phone" name="phone" inputmode="tel" autocomplete="tel" value="${state.phone ?? ""}" required>
    <label for="code">${T.signIn.codeLabel}</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
    ${state.codeSent ? html`<p role="status">${T.signIn.codeSent}</p>` : ""}
    ${state.codeError ? html`<p class="error" role="alert">${state.codeError}</p>` : ""}
    <p class="row"><button type="submit" formaction="/console/sign-in/code" formnovalidate>${T.signIn.getCode}</button> <button type="submit">${T.signIn.signIn}</button></p>
  </form>
</div>
<div class="card">
  <p class="muted">${T.signIn.orToken}</p>
  <form method="post" action="/console/sign-in">
    <label for="token">${T.signIn.tokenLabel}</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required aria-describedby="token-hint${state.tokenError ? " token-error" : ""}">
    <p id="token-hint" class="muted">${T.signIn.tokenHint}</p>
    ${state.tokenError ? html`<p id="token-error" class="error" role="alert">${state.tokenError}</p>` : ""}
    <button type="submit">${T.signIn.tokenButton}</button>
  </form>
</div>`,
  );
}

/** The cookie, Secure where the service is reached over HTTPS. */
export function setSessionCookie(c: Context<AppEnv>, value: string) {
  const secure = c.get("deps").config.publicBaseUrl.startsWith("https:") || new URL(c.req.url).protocol === "https:";
  setCookie(c, COOKIE, value, { httpOnly: true, secure, sameSite: "Lax", path: "/console", maxAge: Math.floor(CONSOLE_SESSION.lifetimeMs / 1000) });
}

/** The session the request's cookie holds, if it still does. */
export async function requestSession(c: Context<AppEnv>): Promise<ConsoleSession | null> {
  const cookie = getCookie(c, COOKIE);
  return cookie ? consoleSession(c.get("deps"), cookie) : null;
}

/** A page needs a session; without one, the sign-in page. */
export const withSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = await requestSession(c);
  if (!session) return c.redirect("/console/sign-in", 302);
  c.set("operator", session.operator);
  c.set("consoleSession", session);
  await next();
};

export type SessionContext = Context<AppEnv>;

/** A changing form's fields (a Chinese keyboard's full-width 名额 ３０ read as 30); null when its CSRF token does not match. */
export async function form(c: SessionContext): Promise<Record<string, string> | null> {
  const body = await c.req.parseBody();
  const fields = Object.fromEntries(
    Object.entries(body).flatMap(([name, value]) => (typeof value === "string" ? [[name, halfWidthAlphanumerics(value)] as const] : [])),
  );
  return csrfMatches(c.get("consoleSession"), fields.csrf) ? fields : null;
}

/** A spreadsheet upload's form: what it takes, and, after a refused upload, each wrong row beside the file field. */
export function uploadForm(session: ConsoleSession, upload: { action: string; title: string; hint: string; label: string; button: string; refused: string; problems?: string[] | undefined }) {
  return html`<form method="post" action="${upload.action}" enctype="multipart/form-data" class="card">
  <h2>${upload.title}</h2>
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  <p class="muted">${upload.hint}</p>
  <label for="upload-file">${upload.label}</label>
  <input id="upload-file" name="file" type="file" accept=".xlsx,.csv,text/csv" required${upload.problems ? html` aria-invalid="true" autofocus aria-describedby="upload-errors"` : ""}>
  ${upload.problems ? html`<div id="upload-errors" class="error" role="alert"><p>${upload.refused}</p><ul>${upload.problems.map((line) => html`<li>${line}</li>`)}</ul></div>` : ""}
  <p><button type="submit">${upload.button}</button></p>
</form>`;
}

/**
 * The spreadsheet an uploadForm sent (its CSRF token checked by `form` first): its lines (empty ones
 * left out), or why it cannot be read. .xlsx where the runtime reads it (Node), CSV everywhere.
 */
export async function uploadedSheet(c: SessionContext, maxBytes: number): Promise<{ lines: string[][] } | { problem: string }> {
  const file = (await c.req.parseBody()).file;
  const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : null;
  if (!bytes || bytes.length === 0) return { problem: T.upload.empty };
  if (bytes.length > maxBytes) return { problem: T.upload.tooBig(maxBytes) };
  const isXlsx = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!isXlsx) return { lines: readCsv(bytes) };
  const spreadsheets = c.get("deps").spreadsheets;
  if (!spreadsheets) return { problem: T.upload.csvOnly };
  const lines: string[][] = [];
  try {
    for await (const row of spreadsheets.rows(bytes)) if (row.length > 0) lines.push(row);
  } catch {
    return { problem: T.upload.unreadable };
  }
  return { lines };
}

/** Every level of place, province to village. */
export const ANY_LEVEL = [1, 2, 3, 4, 5] as const;

/** A form field's text, trimmed; "" for a file or a field sent twice. */
export const typedText = (value: unknown): string => (typeof value === "string" ? value.trim() : "");

/**
 * A place typed in a form, by name or code, as its code; or what to tell the official: names are
 * what people know (云霄县, 莆美镇), codes what the verbs take. `levels`: 1 province … 5 village.
 */
export async function typedPlace(c: SessionContext, text: string, levels: readonly number[], options: { anywhere?: boolean } = {}): Promise<{ code: string } | { problem: string }> {
  if (!text.trim()) return { problem: T.place.missing };
  const found = await placeTyped(operatorContext(c), { text, levels, ...options });
  if ("code" in found) return found;
  if ("unknown" in found) return { problem: T.place.unknown(text.trim()) };
  if ("elsewhere" in found) return { problem: T.place.elsewhere(text.trim(), found.elsewhere) };
  const shown = found.several.slice(0, 6).map((place) => `${place.name}（${place.code}）`);
  return { problem: T.place.several(text.trim(), shown.join("、") + (found.several.length > shown.length ? "等" : ""), found.several[0]!.name) };
}

/** A verb's refusal, as a page. */
export function refusal(c: SessionContext, error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  const [message, status] = {
    forbidden: [T.errors.forbidden, 403],
    not_found: [T.errors.notFound, 404],
    validation_failed: [T.errors.invalid, 400],
    conflict: [T.errors.conflict, 409],
    unavailable: [T.errors.unavailable, 503],
  }[error.code] as [string, 400 | 403 | 404 | 409 | 503];
  return c.html(layout(message, html`<h1>${message}</h1><p><a href="${HOME}">${T.nav.today}</a></p>`, c.get("consoleSession")), status);
}


/**
 * What every console answer carries: no framing (clickjacking), no caching of pages that hold
 * personal data (a shared office PC), scripts only from the console itself.
 */
export const consoleHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
};

/** The few lines of script the console has: a text's count against its limit as it is typed
 * (an <output data-for="textarea id" data-max data-words="…0…">); pages work without it. */
export const COUNTER_SCRIPT = `document.querySelectorAll("output[data-for]").forEach((count) => {
  const text = document.getElementById(count.dataset.for);
  const max = Number(count.dataset.max);
  text.addEventListener("input", () => {
    const n = [...text.value.trim()].length;
    count.textContent = count.dataset.words.replace("0", String(n));
    count.style.color = n > max ? "#b3261e" : "";
  });
});
`;

/** A console page in the API description (so the access matrix walks it too). */
export function describePage(app: Router, method: "get" | "post", path: string, summary: string): void {
  app.openAPIRegistry.registerPath({ method, path, summary, responses: { 200: { description: "an HTML page" }, 302: { description: "to the sign-in page, without a session" } } });
}

/** A changing form without the session's CSRF token: refused, nothing done. */
export const csrfRefused = (c: SessionContext) => c.html(layout(T.errors.expired, html`<h1>${T.errors.expired}</h1>`, c.get("consoleSession")), 403);
