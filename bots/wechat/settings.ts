// The WeChat Official Account's variables.
import { z } from "zod";
import { optionalText, templateMap, url } from "../../src/shared/config-fields.ts";

export const wechatSettings = {
  WECHAT_APP_ID: optionalText,
  WECHAT_APP_SECRET: optionalText,
  WECHAT_TOKEN: optionalText,
  WECHAT_ENCODING_AES_KEY: z.string().trim().regex(/^[A-Za-z0-9]{43}$/, "43 letters and digits").optional(),
  WECHAT_API_URL: url(["http", "https"]).default("https://api.weixin.qq.com"),
  /** template messages for outside the 48-hour window (verified 服务号 only) */
  WECHAT_TEMPLATES: templateMap.default({}),
};
