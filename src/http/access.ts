// Who may call each route: one line per route. The routes only authenticate; the verbs they call
// enforce the rest (their roles, and the region of every record they touch), and
// test/http/access-matrix.test.ts walks every route of /openapi.json with callers of each role and
// region and holds the answers to this table, so a new route that is not here, or a verb that
// forgets its region check, fails the suite.
import type { OperatorRole } from "../db/client.ts";

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

const ANY: readonly OperatorRole[] = ["admin", "countyOfficial", "coordinator"];
const ADMIN: readonly OperatorRole[] = ["admin"];
const POSTERS: readonly OperatorRole[] = ["admin", "coordinator"];
const OFFICIALS: readonly OperatorRole[] = ["admin", "countyOfficial"];

const anyone = { kind: "public" } as const;
const signed = { kind: "signed" } as const;
const operator = (roles: readonly OperatorRole[], scope: "record" | "rows" | "none") => ({ kind: "operator", roles, scope }) as const;
const consolePage = (roles: readonly OperatorRole[]) => ({ kind: "console", roles }) as const;

/** "METHOD /path" as /openapi.json writes it. */
export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  "GET /": anyone,
  "GET /console": anyone,
  "GET /console/sign-in": anyone,
  "POST /console/sign-in": anyone,
  "POST /console/sign-in/code": anyone,
  "POST /console/sign-in/sms": anyone,
  "POST /console/sign-out": consolePage(ANY),
  "GET /console/today": consolePage(ANY),
  "POST /console/tasks/{id}/done": consolePage(POSTERS),
  "GET /console/workers": consolePage(ANY),
  "GET /console/figures": consolePage(ANY),
  "GET /console/employers": consolePage(ANY),
  "GET /console/vacancies": consolePage(ANY),
  "POST /console/vacancies": consolePage(POSTERS),
  "POST /console/vacancies/{id}/close": consolePage(POSTERS),
  "POST /console/employers/{id}/vouch": consolePage(POSTERS),
  "GET /console/figures/report": consolePage(ANY),
  "GET /console/workers/{id}": consolePage(ANY),
  "POST /console/workers/{id}/visits": consolePage(POSTERS),
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

  "GET /api/regions": operator(ANY, "none"),
  "GET /api/occupations/normalize": operator(ANY, "none"),

  "POST /api/operators": operator(ADMIN, "none"),
  "GET /api/operators": operator(ADMIN, "none"),
  "PUT /api/operators/{id}/phone": operator(ADMIN, "none"),
  "POST /api/operators/{id}/disable": operator(ADMIN, "none"),
  "GET /api/operators/{id}/keys": operator(ADMIN, "none"),
  "POST /api/operators/{id}/keys": operator(ADMIN, "none"),
  "POST /api/operators/{id}/keys/{keyId}/revoke": operator(ADMIN, "none"),

  "GET /api/workers": operator(ANY, "record"),
  "GET /api/workers/{id}": operator(ANY, "record"),
  "GET /api/workers/{id}/plan": operator(ANY, "record"),
  "GET /api/workers/{id}/matches": operator(ANY, "record"),
  "GET /api/workers/{id}/benefits": operator(ANY, "record"),
  "POST /api/workers/{id}/plan/events": operator(POSTERS, "record"),
  "POST /api/workers/{id}/erase": operator(POSTERS, "record"),

  "GET /api/plans": operator(ANY, "record"),
  "POST /api/plans/tasks/{id}/done": operator(POSTERS, "record"),

  "POST /api/vacancies": operator(POSTERS, "record"),
  "POST /api/vacancies/bulk": operator(POSTERS, "rows"),
  "GET /api/vacancies/{id}": operator(ANY, "record"),
  "PATCH /api/vacancies/{id}": operator(POSTERS, "record"),

  "GET /api/employers": operator(ANY, "record"),
  "POST /api/employers/{id}/vouch": operator(POSTERS, "record"),

  "GET /api/policies": operator(ANY, "record"),
  "PUT /api/policies/{regionCode}": operator(OFFICIALS, "record"),

  "GET /api/training/courses": operator(ANY, "none"),
  "POST /api/training/courses": operator(ANY, "record"),
  "GET /api/training/courses/{id}": operator(ANY, "record"),
  "PATCH /api/training/courses/{id}": operator(ANY, "record"),
  "POST /api/training/courses/{id}/enrolments": operator(ANY, "record"),
  "GET /api/training/courses/{id}/enrolments": operator(ANY, "record"),
  "POST /api/training/courses/{id}/completions": operator(ANY, "record"),

  "POST /api/campaigns": operator(OFFICIALS, "record"),
  "GET /api/campaigns": operator(OFFICIALS, "none"),
  "GET /api/campaigns/{id}": operator(OFFICIALS, "record"),
  "POST /api/campaigns/{id}/cancel": operator(OFFICIALS, "record"),

  "GET /api/stats": operator(ANY, "record"),
  "GET /api/reports/quarterly": operator(ANY, "record"),
};
