// The SMS channel's variables: Twilio (international numbers) and Aliyun (Chinese ones).
import { z } from "zod";
import { optionalText, templateMap, url } from "../../src/shared/config-fields.ts";

export const smsSettings = {
  TWILIO_ACCOUNT_SID: optionalText,
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM: optionalText,
  TWILIO_API_URL: url(["http", "https"]).default("https://api.twilio.com"),
  ALIYUN_SMS_ACCESS_KEY_ID: optionalText,
  ALIYUN_SMS_ACCESS_KEY_SECRET: optionalText,
  ALIYUN_SMS_SIGN_NAME: optionalText,
  ALIYUN_SMS_CALLBACK_SECRET: z.string().trim().min(16, "at least 16 characters (it is the callback path's only protection)").optional(),
  /** an approved template "${content}" for conversational replies over Aliyun */
  ALIYUN_SMS_TEMPLATE_CODE: optionalText,
  ALIYUN_SMS_TEMPLATES: templateMap.default({}),
  ALIYUN_SMS_ENDPOINT: url(["http", "https"]).default("https://dysmsapi.aliyuncs.com"),
};
