// Our SMS texts leave room for the provider's signature, which the carrier counts in the message.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { fitsOneSms } from "../../bots/sms/protocol/index.ts";
import { smsChannel } from "../../bots/sms/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { SMS_TEXT_CHARS } from "../../src/shared/sms-text.ts";

describe("an SMS text beside the signature", () => {
  it("is one message with a signature of up to six characters, and not with seven", () => {
    const fullest = "中".repeat(SMS_TEXT_CHARS);
    expect(fitsOneSms(fullest, "就业直通车")).toBe(true);
    expect(fitsOneSms(fullest, "云霄县人社局")).toBe(true);
    expect(fitsOneSms(fullest, "漳州市人社局网")).toBe(false);
    expect(smsChannel.capabilities.textBudget).toBe(SMS_TEXT_CHARS);
  });

  it("is said at start when the configured signature leaves it less room", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "warn", destination: new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }) });
    const aliyun = { ALIYUN_SMS_ACCESS_KEY_ID: "key-id", ALIYUN_SMS_ACCESS_KEY_SECRET: "key-secret", ALIYUN_SMS_TEMPLATE_CODE: "SMS_1" };
    smsChannel.delivery(loadConfig({ ...aliyun, ALIYUN_SMS_SIGN_NAME: "云霄县人社局" }), log);
    expect(lines).toEqual([]);
    smsChannel.delivery(loadConfig({ ...aliyun, ALIYUN_SMS_SIGN_NAME: "【云霄县人力资源和社会保障局】" }), log);
    expect(lines.join("")).toContain("the SMS signature is longer than 6 characters");
  });
});
