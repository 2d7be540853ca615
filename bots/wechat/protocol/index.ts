// The WeChat Official Account protocol: signatures, safe-mode encryption, and the callback XML.
// Pure functions over node:crypto; the channel's routes do the HTTP and the conversation work.
export { messageSignature, signaturesMatch, urlSignature } from "./signature.ts";
export { createWeChatCipher, WeChatCryptoError } from "./crypto.ts";
export type { WeChatCipher, WeChatCipherConfig, WeChatCryptoFailure } from "./crypto.ts";
export {
  DEFAULT_MAX_XML_LENGTH,
  dedupeKey,
  encryptedEnvelope,
  encryptedReplyXml,
  parseWeChatXml,
  readInbound,
  textReplyXml,
  WeChatXmlError,
} from "./xml.ts";
export type {
  EncryptedEnvelope,
  EncryptedReply,
  InboundEvent,
  InboundOther,
  InboundText,
  InboundVoice,
  ParseOptions,
  TextReply,
  WeChatInbound,
} from "./xml.ts";
