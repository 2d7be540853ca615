import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/shared/logger.ts";

describe("logs", () => {
  it("mask ID numbers and phones in messages, fields and errors", () => {
    const lines: string[] = [];
    const log = createLogger({
      level: "info",
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    log.info({ inbound: { text: "我的身份证 11010519491231002X", from: "+8613812345678" } }, "got 13812345678");
    log.error({ err: new Error("bad id 110101199003074477") }, "failed");
    log.warn({ lastError: "Twilio 21211: The 'To' number +447700900123 is not a valid phone number" }, "send failed for +15005550006");
    const output = lines.join("");
    expect(output).not.toMatch(/11010519491231002X|110101199003074477|13812345678|447700900123|15005550006/);
    expect(output).toContain("+44******0123");
    expect(output).toContain("110105********002X");
    expect(output).toContain("138****5678");
    expect(output).toContain("110101********4477");
  });
});
