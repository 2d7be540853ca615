// Someone opening the service's address gets a page that says what it is and where to go, not a
// JSON error; the simulator's link only where the simulator is on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.ts";

let on: Harness;
let off: Harness;
beforeAll(async () => {
  [on, off] = await Promise.all([createHarness(), createHarness({ env: { SIMULATOR_ENABLED: "off" } })]);
});
afterAll(async () => {
  await Promise.all([on.close(), off.close()]);
});

describe("the front door", () => {
  it("says what the service is and links to the ways in", async () => {
    const page = await on.request("GET", "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("<h1>就业直通车</h1>");
    for (const href of ["/simulator", "/console", "/openapi.json", "/health"]) expect(page.text).toContain(`href="${href}"`);
  });

  it("leaves the simulator out where it is off", async () => {
    const page = await off.request("GET", "/");
    expect(page.text).not.toContain('href="/simulator"');
    expect(page.text).toContain('href="/console"');
  });
});
