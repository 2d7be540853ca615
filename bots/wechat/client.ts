// WeChat's server API for an Official Account: the stable access token (cached until shortly before
// it expires, refreshed once when WeChat says it is stale), customer-service messages (allowed for
// 48 hours after the user last wrote) and template messages (outside that window).
import { SendFailure } from "../../src/delivery/sender.ts";

export interface WeChatApiConfig {
  appId: string;
  appSecret: string;
  apiUrl: string; // WECHAT_API_URL
  fetch?: typeof fetch;
  now?: () => number;
}

// Error codes that mean the token is no longer good: fetch a new one and try once more.
const STALE_TOKEN = new Set([40001, 40014, 42001]);
// The user's 48-hour customer-service window is closed (or a click's 3-in-a-minute allowance used).
export const OUTSIDE_WINDOW = 45015;
/** The user has unfollowed the account: nothing can reach them on WeChat any more. */
export const NOT_SUBSCRIBED = 43004;
const RETRYABLE = new Set([-1, 45009, 45047]); // system busy, API quota, too many CS messages

interface WeChatReply {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  msgid?: number;
}

export class WeChatApiError extends SendFailure {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(`WeChat ${errcode}: ${message}`, RETRYABLE.has(errcode));
  }
}

export function createWeChatClient(config: WeChatApiConfig) {
  const request = config.fetch ?? fetch;
  const now = config.now ?? Date.now;
  let token: { value: string; expiresAt: number } | undefined;

  async function call(path: string, body: unknown): Promise<WeChatReply> {
    let response: Response;
    try {
      response = await request(`${config.apiUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new SendFailure(`WeChat API unreachable: ${(error as Error).message}`, true);
    }
    if (!response.ok) throw new SendFailure(`WeChat API HTTP ${response.status}`, response.status >= 500 || response.status === 429);
    return (await response.json()) as WeChatReply;
  }

  async function accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && token && token.expiresAt > now()) return token.value;
    const reply = await call("/cgi-bin/stable_token", {
      grant_type: "client_credential",
      appid: config.appId,
      secret: config.appSecret,
      force_refresh: false,
    });
    if (!reply.access_token) throw new WeChatApiError(reply.errcode ?? -1, reply.errmsg ?? "no access token");
    // Renew five minutes early: a token that expires mid-send costs a failed message.
    token = { value: reply.access_token, expiresAt: now() + ((reply.expires_in ?? 7200) - 300) * 1000 };
    return token.value;
  }

  async function withToken(path: string, body: unknown): Promise<WeChatReply> {
    let reply = await call(`${path}?access_token=${encodeURIComponent(await accessToken())}`, body);
    if (reply.errcode && STALE_TOKEN.has(reply.errcode)) {
      reply = await call(`${path}?access_token=${encodeURIComponent(await accessToken(true))}`, body);
    }
    if (reply.errcode) throw new WeChatApiError(reply.errcode, reply.errmsg ?? "error");
    return reply;
  }

  return {
    accessToken,
    /** A customer-service text message: only inside the 48-hour window (else errcode 45015). */
    async sendText(openId: string, content: string): Promise<void> {
      await withToken("/cgi-bin/message/custom/send", { touser: openId, msgtype: "text", text: { content } });
    },
    /** A template message (verified service accounts): fields of at most 20 characters, no emoji. */
    async sendTemplate(openId: string, templateId: string, data: Record<string, string>): Promise<string> {
      const reply = await withToken("/cgi-bin/message/template/send", {
        touser: openId,
        template_id: templateId,
        data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value: value.slice(0, 20) }])),
      });
      return String(reply.msgid ?? "");
    },
  };
}

export type WeChatClient = ReturnType<typeof createWeChatClient>;
