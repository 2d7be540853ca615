// Who may call each route: one line per route. The routes only authenticate; the verbs they call
// enforce the rest (their roles, and the region of every record they touch), and
// test/http/access-matrix.test.ts walks every route of /openapi.json with callers of each role and
// region and holds the answers to this table, so a new route that is not here, or a verb that
// forgets its region check, fails the suite.
import type { OperatorRole } from "../db/client.ts";
import { ADMINS, ANY_OPERATOR, CARERS, OFFICIALS } from "../services/context.ts";

export type RouteAccess =
  /** anyone: the front door, the API description, the simulator (off in production) */
  | { kind: "public" }
  /** a provider's webhook: refused (403) unless its signature or secret path verifies */
  | { kind: "signed" }
  /**
   * an operator with one of these roles; `scope` says where their regions are checked: the record
   * the path names, the region the query or body names ("record"), a bulk list's rows ("rows":
   * each row outside is a row error), or nowhere (data that belongs to no region)
   */
  | { kind: "operator"; roles: readonly OperatorRole[]; scope: "record" | "rows" | "none" }
  /**
   * a console page for operators of these roles, signed in with a console session (a cookie, not
   * an API key): without one, the sign-in page (302); with one, the same verbs decide as for the API
   * (test/http/console.test.ts)
   */
  | { kind: "console"; roles: readonly OperatorRole[] };


const anyone = { kind: "public" } as const;
const signed = { kind: "signed" } as const;
const operator = (roles: readonly OperatorRole[], scope: "record" | "rows" | "none") => ({ kind: "operator", roles, scope }) as const;
const consolePage = (roles: readonly OperatorRole[]) => ({ kind: "console", roles }) as const;

/** "METHOD /path" as /openapi.json writes it. */
export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  "GET /": anyone,
  // or the scraper's METRICS_TOKEN (test/http/metrics.test.ts)
  "GET /metrics": operator(ADMINS, "none"),
  "POST /api/backup": operator(ADMINS, "none"),
  "GET /console": anyone,
  "GET /console/sign-in": anyone,
  "GET /console/counter.js": anyone,
  "POST /console/sign-in": anyone,
  "POST /console/sign-in/code": anyone,
  "POST /console/sign-in/sms": anyone,
  "POST /console/sign-out": consolePage(ANY_OPERATOR),
  "GET /console/today": consolePage(ANY_OPERATOR),
  "POST /console/tasks/{id}/done": consolePage(CARERS),
  "POST /console/tasks/{id}/confirm-identity": consolePage(CARERS),
  "POST /console/tasks/{id}/link-employer": consolePage(CARERS),
  "GET /console/workers": consolePage(ANY_OPERATOR),
  "GET /console/workers.csv": consolePage(ANY_OPERATOR),
  "GET /console/figures": consolePage(ANY_OPERATOR),
  "GET /console/employers": consolePage(ANY_OPERATOR),
  "GET /console/vacancies": consolePage(ANY_OPERATOR),
  "POST /console/vacancies": consolePage(CARERS),
  "POST /console/vacancies/{id}/close": consolePage(CARERS),
  "POST /console/vacancies/upload": consolePage(CARERS),
  "GET /console/vacancies/{id}": consolePage(ANY_OPERATOR),
  "POST /console/vacancies/{id}": consolePage(CARERS),
  "POST /console/employers/{id}/vouch": consolePage(CARERS),
  "GET /console/figures/report": consolePage(ANY_OPERATOR),
  "GET /console/figures/report.xlsx": consolePage(ANY_OPERATOR),
  "GET /console/figures/ledger": consolePage(ANY_OPERATOR),
  "GET /console/workers/{id}": consolePage(ANY_OPERATOR),
  "POST /console/workers/{id}/visits": consolePage(CARERS),
  "POST /console/workers/{id}/employment": consolePage(CARERS),
  "POST /console/workers/{id}/corrections": consolePage(CARERS),
  "POST /console/workers/{id}/enrolments": consolePage(ANY_OPERATOR),
  "GET /console/imports": consolePage(OFFICIALS),
  "POST /console/imports": consolePage(OFFICIALS),
  "GET /console/imports/{id}": consolePage(OFFICIALS),
  "POST /console/imports/{id}/start": consolePage(OFFICIALS),
  "GET /console/operators": consolePage(OFFICIALS),
  "POST /console/operators": consolePage(OFFICIALS),
  "POST /console/operators/{id}/phone": consolePage(OFFICIALS),
  "POST /console/operators/{id}/disable": consolePage(OFFICIALS),
  "POST /console/operators/upload": consolePage(OFFICIALS),
  "GET /console/audit": consolePage(ADMINS),
  "GET /console/training": consolePage(ANY_OPERATOR),
  "POST /console/training": consolePage(ANY_OPERATOR),
  "GET /console/training/{id}": consolePage(ANY_OPERATOR),
  "POST /console/training/{id}/completions": consolePage(ANY_OPERATOR),
  "GET /console/campaigns": consolePage(OFFICIALS),
  "POST /console/campaigns/preview": consolePage(OFFICIALS),
  "POST /console/campaigns": consolePage(OFFICIALS),
  "POST /console/campaigns/invitation": consolePage(OFFICIALS),
  "POST /console/campaigns/{id}/cancel": consolePage(OFFICIALS),
  "GET /health": anyone,
  "GET /openapi.json": anyone,
  "GET /simulator": anyone,
  "GET /api/simulator/messages": anyone,
  "POST /api/simulator/messages": anyone,

  "GET /webhooks/wechat": signed,
  "POST /webhooks/wechat": signed,
  "POST /webhooks/sms/twilio": signed,
  "POST /webhooks/sms/twilio/status": signed,
  "POST /webhooks/sms/aliyun/{secret}": signed,

  "GET /api/regions": operator(ANY_OPERATOR, "none"),
  "GET /api/occupations/normalize": operator(ANY_OPERATOR, "none"),

  "POST /api/operators": operator(OFFICIALS, "record"),
  "GET /api/operators": operator(OFFICIALS, "none"),
  "PUT /api/operators/{id}/phone": operator(OFFICIALS, "record"),
  "POST /api/operators/{id}/disable": operator(OFFICIALS, "record"),
  "GET /api/operators/{id}/keys": operator(ADMINS, "none"),
  "POST /api/operators/{id}/keys": operator(ADMINS, "none"),
  "POST /api/operators/{id}/keys/{keyId}/revoke": operator(ADMINS, "none"),

  "GET /api/workers": operator(ANY_OPERATOR, "record"),
  "GET /api/workers/{id}": operator(ANY_OPERATOR, "record"),
  "GET /api/workers/{id}/plan": operator(ANY_OPERATOR, "record"),
  "GET /api/workers/{id}/matches": operator(ANY_OPERATOR, "record"),
  "GET /api/workers/{id}/benefits": operator(ANY_OPERATOR, "record"),
  "POST /api/workers/{id}/plan/events": operator(CARERS, "record"),
  "POST /api/workers/{id}/erase": operator(CARERS, "record"),

  "GET /api/plans": operator(ANY_OPERATOR, "record"),
  "POST /api/plans/tasks/{id}/done": operator(CARERS, "record"),
  "POST /api/plans/tasks/{id}/confirm-identity": operator(CARERS, "record"),
  "POST /api/plans/tasks/{id}/link-employer": operator(CARERS, "record"),

  "POST /api/vacancies": operator(CARERS, "record"),
  "POST /api/vacancies/bulk": operator(CARERS, "rows"),
  "GET /api/vacancies/{id}": operator(ANY_OPERATOR, "record"),
  "PATCH /api/vacancies/{id}": operator(CARERS, "record"),

  "GET /api/employers": operator(ANY_OPERATOR, "record"),
  "POST /api/employers/{id}/vouch": operator(CARERS, "record"),

  "GET /api/policies": operator(ANY_OPERATOR, "record"),
  "PUT /api/policies/{regionCode}": operator(OFFICIALS, "record"),

  "GET /api/training/courses": operator(ANY_OPERATOR, "none"),
  "POST /api/training/courses": operator(ANY_OPERATOR, "record"),
  "GET /api/training/courses/{id}": operator(ANY_OPERATOR, "record"),
  "PATCH /api/training/courses/{id}": operator(ANY_OPERATOR, "record"),
  "POST /api/training/courses/{id}/enrolments": operator(ANY_OPERATOR, "record"),
  "GET /api/training/courses/{id}/enrolments": operator(ANY_OPERATOR, "record"),
  "POST /api/training/courses/{id}/completions": operator(ANY_OPERATOR, "record"),

  "POST /api/campaigns": operator(OFFICIALS, "record"),
  "GET /api/campaigns": operator(OFFICIALS, "none"),
  "GET /api/campaigns/{id}": operator(OFFICIALS, "record"),
  "POST /api/campaigns/{id}/cancel": operator(OFFICIALS, "record"),

  "GET /api/stats": operator(ANY_OPERATOR, "record"),
  "GET /api/reports/quarterly": operator(ANY_OPERATOR, "record"),
  "GET /api/reports/ledger": operator(ANY_OPERATOR, "record"),

  "POST /api/imports/roster": operator(OFFICIALS, "record"),
  "GET /api/imports/{importId}": operator(OFFICIALS, "record"),
};
