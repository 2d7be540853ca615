// The SMS providers' protocol layer: signatures, webhook and callback parsing, senders and the
// text budget. No routes and no database: the SMS channel and the outbox dispatcher build on it.
export { SmsProtocolError, SmsSendError, type SmsProvider, type SmsSendErrorDetails } from "./errors.ts";
export { DEFAULT_SEND_TIMEOUT_MS, type FetchLike, type SmsSender } from "./http.ts";
export { fitsOneSms, smsSegments, withSignature, type SmsEncoding, type SmsSegments } from "./segments.ts";
export {
  createTwilioSender,
  emptyTwiml,
  parseTwilioInbound,
  parseTwilioStatus,
  twilioSignature,
  verifyTwilioRequest,
  TWILIO_HELP_WORDS,
  TWILIO_MESSAGE_STATUSES,
  TWILIO_OPT_IN_WORDS,
  TWILIO_OPT_OUT_WORDS,
  TWILIO_OPTED_OUT_CODE,
  type TwilioInbound,
  type TwilioMessageStatus,
  type TwilioMessageToSend,
  type TwilioOptOutType,
  type TwilioParams,
  type TwilioRequestToVerify,
  type TwilioSenderOptions,
  type TwilioStatus,
} from "./twilio.ts";
export {
  aliyunCanonicalQuery,
  aliyunCodeRetry,
  aliyunPercentEncode,
  aliyunRpcSignature,
  aliyunStringToSign,
  aliyunTimestamp,
  createAliyunSender,
  parseAliyunCallback,
  parseAliyunTime,
  ALIYUN_CALLBACK_ACK,
  type AliyunCallbackItem,
  type AliyunMessageToSend,
  type AliyunSenderOptions,
  type AliyunSmsReport,
  type AliyunSmsUp,
} from "./aliyun.ts";
