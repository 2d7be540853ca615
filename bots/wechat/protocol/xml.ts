// The XML of the WeChat Official Account callback, read and written by hand.
//
// WeChat's XML is one flat <xml> element of named children, each holding text or CDATA. The
// parser below accepts exactly that and refuses everything else, so none of a general parser's
// risks apply: no DOCTYPE or ENTITY declarations (no XXE, no entity expansion), no nesting, no
// attributes. It walks the string once with indexOf and never backtracks, so hostile input costs
// time linear in its length, and the length is capped. Error messages name a position, never the
// input: callbacks carry what users wrote.

export class WeChatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeChatXmlError";
  }
}

export interface ParseOptions {
  /** the longest input accepted, in UTF-16 units; a callback body is a few hundred */
  maxLength?: number;
}

/** Ample for any callback (a safe-mode envelope of a long text is about 4 KB). */
export const DEFAULT_MAX_XML_LENGTH = 64 * 1024;
const MAX_NAME_LENGTH = 64;
const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";

/** Parses a callback body into its fields; throws WeChatXmlError on anything but flat WeChat XML. */
export function parseWeChatXml(xml: string, options: ParseOptions = {}): Record<string, string> {
  if (typeof xml !== "string") throw new WeChatXmlError("the body is not text");
  const maxLength = options.maxLength ?? DEFAULT_MAX_XML_LENGTH;
  if (xml.length > maxLength) throw new WeChatXmlError(`the body is longer than ${maxLength} characters`);
  return new FlatXmlReader(xml).readDocument();
}

class FlatXmlReader {
  private pos = 0;
  // No prototype: a field named __proto__ or constructor is just a field.
  private readonly fields: Record<string, string> = Object.create(null) as Record<string, string>;

  constructor(private readonly text: string) {}

  readDocument(): Record<string, string> {
    if (this.text.startsWith("\uFEFF")) this.pos = 1;
    this.skipWhitespace();
    this.skipXmlDeclaration();
    this.skipWhitespace();
    this.refuseMarkupDeclaration();
    this.expect("<xml>", "the root element must be <xml>");
    for (;;) {
      this.skipWhitespace();
      if (this.text.startsWith("</xml>", this.pos)) break;
      if (this.pos >= this.text.length) this.fail("the <xml> element is not closed");
      if (this.text[this.pos] !== "<") this.fail("text between the fields");
      this.refuseMarkupDeclaration();
      this.readField();
    }
    this.pos += "</xml>".length;
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail("content after </xml>");
    return this.fields;
  }

  /** `<?xml version="1.0" encoding="UTF-8"?>`: WeChat sends none, but it is harmless. */
  private skipXmlDeclaration(): void {
    if (!this.text.startsWith("<?xml", this.pos)) return;
    const end = this.text.indexOf("?>", this.pos);
    if (end < 0) this.fail("the XML declaration is not closed");
    this.pos = end + 2;
  }

  private refuseMarkupDeclaration(): void {
    if (this.text.startsWith("<!", this.pos) || this.text.startsWith("<?", this.pos)) {
      this.fail("declarations, comments and processing instructions are refused");
    }
  }

  /** `<Name>content</Name>` or `<Name/>`, content being text and CDATA sections, nothing nested. */
  private readField(): void {
    this.pos += 1;
    const name = this.readName();
    if (name in this.fields) this.fail(`the field ${name} appears twice`);
    if (this.text.startsWith("/>", this.pos)) {
      this.pos += 2;
      this.fields[name] = "";
      return;
    }
    this.expect(">", `the tag ${name} has attributes or is malformed`);
    this.fields[name] = this.readContent(name);
  }

  private readContent(name: string): string {
    let value = "";
    for (;;) {
      const lt = this.text.indexOf("<", this.pos);
      if (lt < 0) this.fail(`the field ${name} is not closed`);
      value += decodeEntities(this.text.slice(this.pos, lt), this.pos);
      this.pos = lt;
      if (this.text.startsWith(CDATA_OPEN, this.pos)) {
        value += this.readCdata();
      } else if (this.text.startsWith("</", this.pos)) {
        this.readClosingTag(name);
        return value;
      } else {
        this.fail(`the field ${name} contains markup: nested elements are refused`);
      }
    }
  }

  private readCdata(): string {
    const start = this.pos + CDATA_OPEN.length;
    const end = this.text.indexOf(CDATA_CLOSE, start);
    if (end < 0) this.fail("a CDATA section is not closed");
    this.pos = end + CDATA_CLOSE.length;
    return this.text.slice(start, end);
  }

  private readClosingTag(name: string): void {
    this.pos += 2;
    const closing = this.readName();
    if (closing !== name) this.fail(`<${name}> is closed by </${closing}>`);
    this.skipWhitespace();
    this.expect(">", `the closing tag of ${name} is malformed`);
  }

  /** Letters, digits, `_`, `-`, `.`, starting with a letter or `_`: every WeChat field name fits. */
  private readName(): string {
    const start = this.pos;
    while (this.pos < this.text.length && this.pos - start <= MAX_NAME_LENGTH && isNameChar(this.text.charCodeAt(this.pos), this.pos === start)) {
      this.pos += 1;
    }
    if (this.pos === start) this.fail("a tag has no valid name");
    if (this.pos - start > MAX_NAME_LENGTH) this.fail("a tag name is too long");
    return this.text.slice(start, this.pos);
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && isWhitespace(this.text.charCodeAt(this.pos))) this.pos += 1;
  }

  private expect(literal: string, problem: string): void {
    if (!this.text.startsWith(literal, this.pos)) this.fail(problem);
    this.pos += literal.length;
  }

  private fail(problem: string): never {
    throw new WeChatXmlError(`${problem} (at ${this.pos})`);
  }
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isNameChar(code: number, first: boolean): boolean {
  const letter = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
  if (first) return letter;
  return letter || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
// The longest entity worth looking for is `&#x10FFFF;` or `&#1114111;`: looking no further for the
// `;` keeps a run of bare ampersands from scanning the rest of the input each time.
const MAX_ENTITY_LENGTH = 12;

/** Decodes the five named entities and numeric ones; a bare or unknown `&` is an error. */
function decodeEntities(text: string, offset: number): string {
  let amp = text.indexOf("&");
  if (amp < 0) return text;
  let decoded = "";
  let from = 0;
  while (amp >= 0) {
    const semicolon = text.slice(amp, amp + MAX_ENTITY_LENGTH).indexOf(";");
    if (semicolon < 0) throw new WeChatXmlError(`a bare & in text (at ${offset + amp})`);
    decoded += text.slice(from, amp) + entityValue(text.slice(amp + 1, amp + semicolon), offset + amp);
    from = amp + semicolon + 1;
    amp = text.indexOf("&", from);
  }
  return decoded + text.slice(from);
}

function entityValue(name: string, at: number): string {
  const named = Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined;
  if (named !== undefined) return named;
  const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
  const code = numeric ? (numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2])) : NaN;
  // String.fromCodePoint throws a RangeError past U+10FFFF; surrogates alone are not characters.
  if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    throw new WeChatXmlError(`an unknown or invalid entity (at ${at})`);
  }
  return String.fromCodePoint(code);
}

// ---------------------------------------------------------------------------------------------
// Inbound messages

interface InboundBase {
  /** the sender's openid */
  from: string;
  /** the account's original id (gh_…) */
  to: string;
  /** seconds since the epoch, as WeChat stamped it */
  createTime: number;
}

export interface InboundText extends InboundBase {
  kind: "text";
  /** a 64-bit integer: kept as text, it does not fit a double */
  msgId: string;
  content: string;
}

export interface InboundVoice extends InboundBase {
  kind: "voice";
  msgId: string;
  /** WeChat's transcript; often absent or empty (being retired): ask the user to type then */
  recognition?: string;
  mediaId: string;
  format: string;
}

export interface InboundEvent extends InboundBase {
  kind: "event";
  event: "subscribe" | "unsubscribe" | "CLICK" | (string & {});
  /** the menu key of CLICK, `qrscene_…` on a subscribe through a QR code; absent when empty */
  eventKey?: string;
}

export interface InboundOther extends InboundBase {
  kind: "other";
  msgType: string;
  msgId?: string;
}

export type WeChatInbound = InboundText | InboundVoice | InboundEvent | InboundOther;

/** Types the fields of a plain (or decrypted) callback; a missing required field is an error. */
export function readInbound(fields: Record<string, string>): WeChatInbound {
  const base: InboundBase = {
    from: required(fields, "FromUserName"),
    to: required(fields, "ToUserName"),
    createTime: createTimeOf(required(fields, "CreateTime")),
  };
  const msgType = required(fields, "MsgType");
  switch (msgType) {
    case "text":
      return { kind: "text", ...base, msgId: required(fields, "MsgId"), content: present(fields, "Content") };
    case "voice":
      return {
        kind: "voice",
        ...base,
        msgId: required(fields, "MsgId"),
        recognition: nonBlank(fields, "Recognition"),
        mediaId: required(fields, "MediaId"),
        format: required(fields, "Format"),
      };
    case "event":
      return { kind: "event", ...base, event: required(fields, "Event"), eventKey: nonBlank(fields, "EventKey") };
    default:
      return { kind: "other", ...base, msgType, msgId: nonBlank(fields, "MsgId") };
  }
}

/**
 * The key that makes WeChat's retries (three tries, 5 s apart) one turn. Messages carry MsgId;
 * events carry none, and WeChat's documentation says to use FromUserName + CreateTime. The event
 * name is added so that two different events of one user in one second stay two: a retry repeats
 * all three.
 */
export function dedupeKey(inbound: WeChatInbound): string {
  switch (inbound.kind) {
    case "event":
      return `${inbound.from}:${inbound.createTime}:${inbound.event}`;
    case "other":
      return inbound.msgId ? `${inbound.from}:${inbound.msgId}` : `${inbound.from}:${inbound.createTime}:${inbound.msgType}`;
    default:
      // By sender too: a MsgId replayed under another openid is another message, not that user's.
      return `${inbound.from}:${inbound.msgId}`;
  }
}

export interface EncryptedEnvelope {
  encrypt: string;
  /** the account's original id; safe mode sends it in the clear beside the ciphertext */
  toUserName?: string;
}

/** Reads the ciphertext from a safe-mode POST body (`<xml><ToUserName/><Encrypt/></xml>`). */
export function encryptedEnvelope(xml: string, options?: ParseOptions): EncryptedEnvelope {
  const fields = parseWeChatXml(xml, options);
  const toUserName = nonBlank(fields, "ToUserName");
  return { encrypt: required(fields, "Encrypt"), ...(toUserName === undefined ? {} : { toUserName }) };
}

function present(fields: Record<string, string>, name: string): string {
  const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (value === undefined) throw new WeChatXmlError(`the field ${name} is missing`);
  return value;
}

function required(fields: Record<string, string>, name: string): string {
  const value = present(fields, name);
  if (value.trim() === "") throw new WeChatXmlError(`the field ${name} is empty`);
  return value;
}

function nonBlank(fields: Record<string, string>, name: string): string | undefined {
  const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
  return value === undefined || value.trim() === "" ? undefined : value;
}

function createTimeOf(text: string): number {
  if (!/^[0-9]{1,12}$/.test(text)) throw new WeChatXmlError("CreateTime is not a number of seconds");
  return Number(text);
}

// ---------------------------------------------------------------------------------------------
// Replies

export interface TextReply {
  /** the user's openid (the inbound FromUserName) */
  to: string;
  /** the account's original id (the inbound ToUserName) */
  from: string;
  /** seconds since the epoch */
  createTime: number;
  content: string;
}

/** The passive reply to a callback: one text message, sent as the HTTP answer. */
export function textReplyXml(reply: TextReply): string {
  return (
    "<xml>" +
    `<ToUserName>${cdata(reply.to)}</ToUserName>` +
    `<FromUserName>${cdata(reply.from)}</FromUserName>` +
    `<CreateTime>${seconds(reply.createTime)}</CreateTime>` +
    `<MsgType>${cdata("text")}</MsgType>` +
    `<Content>${cdata(reply.content)}</Content>` +
    "</xml>"
  );
}

export interface EncryptedReply {
  /** the reply XML encrypted by WeChatCipher.encrypt */
  encrypt: string;
  /** messageSignature(token, timestamp, nonce, encrypt) */
  msgSignature: string;
  timestamp: string | number;
  nonce: string;
}

/** The safe-mode envelope around an encrypted reply. */
export function encryptedReplyXml(reply: EncryptedReply): string {
  return (
    "<xml>" +
    `<Encrypt>${cdata(reply.encrypt)}</Encrypt>` +
    `<MsgSignature>${cdata(reply.msgSignature)}</MsgSignature>` +
    `<TimeStamp>${escapeText(String(reply.timestamp))}</TimeStamp>` +
    `<Nonce>${cdata(reply.nonce)}</Nonce>` +
    "</xml>"
  );
}

// Characters XML 1.0 forbids: one of them would make WeChat reject the whole reply, and the user
// would see "该公众号暂时无法提供服务" instead of the text around it.
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** A CDATA section; a `]]>` inside is split across two sections so it cannot end the first early. */
function cdata(value: string): string {
  return `${CDATA_OPEN}${value.replace(NOT_XML_CHARACTERS, "").replaceAll(CDATA_CLOSE, "]]]]><![CDATA[>")}${CDATA_CLOSE}`;
}

function escapeText(value: string): string {
  return value.replace(NOT_XML_CHARACTERS, "").replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function seconds(createTime: number): string {
  if (!Number.isSafeInteger(createTime) || createTime < 0) throw new RangeError("createTime must be whole seconds since the epoch");
  return String(createTime);
}
