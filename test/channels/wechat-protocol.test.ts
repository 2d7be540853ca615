// The WeChat Official Account protocol layer, against the official vectors in
// ../shared/channels.md ("WeChat Official Account"), the `wechat-crypto` package as an independent
// oracle, and seeded fuzzing (a failure prints its seed and input index, so it reproduces).
import { createCipheriv, createDecipheriv } from "node:crypto";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { seededRandom } from "../support/seeded.ts";
import { describe, expect, it } from "vitest";
import {
  createWeChatCipher,
  dedupeKey,
  DEFAULT_MAX_XML_LENGTH,
  encryptedEnvelope,
  encryptedReplyXml,
  messageSignature,
  parseWeChatXml,
  readInbound,
  signaturesMatch,
  textReplyXml,
  urlSignature,
  WeChatCryptoError,
  WeChatXmlError,
  type WeChatCryptoFailure,
} from "../../bots/wechat/protocol/index.ts";

// ---------------------------------------------------------------------------------------------
// Vectors and helpers

const vectorA = {
  token: "AAAAA",
  encodingAesKey: "A".repeat(43),
  appId: "wxba5fad812f8e6fb9",
  timestamp: "1714112445",
  nonce: "415670741",
  encrypt:
    "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=",
  msgSignature: "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3",
  random: "a8eedb185eb2fecf",
  length: 167,
  message:
    '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}',
  reply: {
    random: "707722b803182950",
    message: '{"demo_resp":"good luck"}',
    encrypt: "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==",
    timestamp: "1713424427",
    nonce: "415670741",
    msgSignature: "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1",
  },
};

const vectorB = {
  token: "spamtest",
  encodingAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  appId: "wx2c2769f8efd9abc2",
  timestamp: "1409735669",
  nonce: "1320562132",
  encrypt:
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=",
  msgSignature: "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
};

const vectorC = {
  encodingAesKey: vectorB.encodingAesKey,
  appId: "wxb11529c136998cb6",
  random: "aaaabbbbccccdddd",
  message: "我是中文abcd123",
  encrypt: "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
};

/** AES key and IV as the spec states them, independently of the code under test. */
function keyAndIv(encodingAesKey: string): { key: Buffer; iv: Buffer } {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  return { key, iv: key.subarray(0, 16) };
}

/** The padded plaintext behind a ciphertext: lets a test look at the random, length and padding. */
function rawPlaintext(encodingAesKey: string, encrypt: string): Buffer {
  const { key, iv } = keyAndIv(encodingAesKey);
  const aes = createDecipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
  return Buffer.concat([aes.update(Buffer.from(encrypt, "base64")), aes.final()]);
}

/** Encrypts a hand-built plaintext (whole blocks, padding included) to forge malformed messages. */
function sealRaw(encodingAesKey: string, plaintext: Buffer): string {
  const { key, iv } = keyAndIv(encodingAesKey);
  const aes = createCipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
  return Buffer.concat([aes.update(plaintext), aes.final()]).toString("base64");
}

function plaintextOf(parts: { random?: Buffer; length?: number; message: Buffer; appId: string }): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(parts.length ?? parts.message.length, 0);
  return Buffer.concat([parts.random ?? Buffer.alloc(16, 7), length, parts.message, Buffer.from(parts.appId)]);
}

function padTo32(plaintext: Buffer): Buffer {
  const count = 32 - (plaintext.length % 32);
  return Buffer.concat([plaintext, Buffer.alloc(count, count)]);
}

function cryptoFailure(run: () => unknown): WeChatCryptoFailure | "no error" {
  try {
    run();
    return "no error";
  } catch (error) {
    if (error instanceof WeChatCryptoError) return error.reason;
    throw error;
  }
}

/** Parses or refuses with WeChatXmlError; any other error fails the test. */
function parseOrRefuse(xml: string, options?: { maxLength: number }): "parsed" | "refused" {
  try {
    readInbound(parseWeChatXml(xml, options));
    return "parsed";
  } catch (error) {
    if (error instanceof WeChatXmlError) return "refused";
    throw error;
  }
}

/** Milliseconds one parse takes; a slow one is measured again so a GC pause is not blamed on it. */
function parseMillis(xml: string, options?: { maxLength: number }): number {
  const once = () => {
    const start = performance.now();
    parseOrRefuse(xml, options);
    return performance.now() - start;
  };
  const first = once();
  return first < 5 ? first : Math.min(first, once(), once());
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomKey(random: () => number): string {
  return Array.from({ length: 43 }, () => pick(random, [...BASE64_ALPHABET])).join("");
}

/** Chinese, ASCII, punctuation, newlines and the odd emoji (4 UTF-8 bytes, 2 UTF-16 units). */
function randomMessage(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * (maxLength + 1));
  let text = "";
  for (let i = 0; i < length; i++) {
    const roll = random();
    if (roll < 0.45) text += String.fromCodePoint(0x4e00 + Math.floor(random() * (0x9fa5 - 0x4e00)));
    else if (roll < 0.9) text += String.fromCharCode(0x20 + Math.floor(random() * 95));
    else if (roll < 0.95) text += pick(random, ["\n", "，", "。", "？", "<", "&", "]]>"]);
    else text += pick(random, ["😀", "👍", "🚜"]);
  }
  return text;
}

// The oracle: node-webot's WXBizMsgCrypt port, CommonJS and without types.
interface OracleCipher {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  encrypt(message: string): string;
  decrypt(encrypt: string): { message: string; id: string };
}
const require = createRequire(import.meta.url);
const OracleWXBizMsgCrypt = require("wechat-crypto") as new (token: string, encodingAesKey: string, appId: string) => OracleCipher;

// ---------------------------------------------------------------------------------------------

describe("signatures", () => {
  it("computes the official GET example", () => {
    expect(urlSignature("AAAAA", "1714036504", "1514711492")).toBe("f464b24fc39322e44b38aa78f5edd27bd1441696");
  });

  it("sorts the parts, whatever order they come in", () => {
    expect(urlSignature("1514711492", "AAAAA", "1714036504")).toBe(urlSignature("AAAAA", "1714036504", "1514711492"));
    expect(messageSignature(vectorA.encrypt, vectorA.nonce, vectorA.timestamp, vectorA.token)).toBe(vectorA.msgSignature);
  });

  it("compares signatures without throwing on a different length or a missing value", () => {
    const expected = "f464b24fc39322e44b38aa78f5edd27bd1441696";
    expect(signaturesMatch(expected, expected)).toBe(true);
    expect(signaturesMatch(expected, `${expected.slice(0, -1)}7`)).toBe(false);
    expect(signaturesMatch(expected, expected.slice(0, -1))).toBe(false);
    expect(signaturesMatch(expected, `${expected}0`)).toBe(false);
    expect(signaturesMatch(expected, expected.toUpperCase())).toBe(false);
    expect(signaturesMatch(expected, "")).toBe(false);
    expect(signaturesMatch(expected, undefined)).toBe(false);
    expect(signaturesMatch(expected, null)).toBe(false);
    expect(signaturesMatch(expected, "x".repeat(10_000))).toBe(false);
  });
});

describe("safe mode: official vectors", () => {
  it("vector A: signs, decrypts to the exact JSON with the stated random and byte length", () => {
    const cipher = createWeChatCipher(vectorA);
    expect(messageSignature(vectorA.token, vectorA.timestamp, vectorA.nonce, vectorA.encrypt)).toBe(vectorA.msgSignature);

    expect(cipher.decrypt(vectorA.encrypt)).toEqual({ message: vectorA.message, appId: vectorA.appId });
    expect(JSON.parse(vectorA.message)).toMatchObject({ MsgType: "event", Event: "debug_demo", debug_str: "hello world" });

    const plaintext = rawPlaintext(vectorA.encodingAesKey, vectorA.encrypt);
    expect(plaintext.subarray(0, 16).toString("latin1")).toBe(vectorA.random);
    expect(plaintext.readUInt32BE(16)).toBe(vectorA.length);
  });

  it("vector A: encrypts and signs the reply exactly", () => {
    const cipher = createWeChatCipher(vectorA);
    const { reply } = vectorA;
    const encrypt = cipher.encrypt(reply.message, Buffer.from(reply.random, "latin1"));
    expect(encrypt).toBe(reply.encrypt);
    expect(messageSignature(vectorA.token, reply.timestamp, reply.nonce, encrypt)).toBe(reply.msgSignature);
    expect(cipher.decrypt(encrypt).message).toBe(reply.message);
  });

  it("vector B: signs, decrypts to XML and reads the text message", () => {
    const cipher = createWeChatCipher(vectorB);
    expect(messageSignature(vectorB.token, vectorB.timestamp, vectorB.nonce, vectorB.encrypt)).toBe(vectorB.msgSignature);

    const { message, appId } = cipher.decrypt(vectorB.encrypt);
    expect(appId).toBe(vectorB.appId);
    const inbound = readInbound(parseWeChatXml(message));
    expect(inbound).toEqual({
      kind: "text",
      from: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
      to: "gh_10f6c3c3ac5a",
      createTime: 1409735668,
      msgId: "6054768590064713728",
      content: "abcdteT",
    });
    expect(dedupeKey(inbound)).toBe("oyORnuP8q7ou2gfYjqLzSIWZf0rs:6054768590064713728") // by sender: another openid with this MsgId is another message;
  });

  it("vector B: refuses the message under another AppID (the same key)", () => {
    const other = createWeChatCipher({ ...vectorB, appId: "wx0000000000000000" });
    expect(cryptoFailure(() => other.decrypt(vectorB.encrypt))).toBe("app_id_mismatch");
    const longer = createWeChatCipher({ ...vectorB, appId: `${vectorB.appId}x` });
    expect(cryptoFailure(() => longer.decrypt(vectorB.encrypt))).toBe("app_id_mismatch");
    const prefix = createWeChatCipher({ ...vectorB, appId: vectorB.appId.slice(0, -1) });
    expect(cryptoFailure(() => prefix.decrypt(vectorB.encrypt))).toBe("app_id_mismatch");
  });

  it("vector B: reads the safe-mode POST body and decrypts what it carries", () => {
    const body = `<xml>\n<ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<Encrypt><![CDATA[${vectorB.encrypt}]]></Encrypt>\n</xml>`;
    const envelope = encryptedEnvelope(body);
    expect(envelope).toEqual({ toUserName: "gh_10f6c3c3ac5a", encrypt: vectorB.encrypt });
    expect(signaturesMatch(messageSignature(vectorB.token, vectorB.timestamp, vectorB.nonce, envelope.encrypt), vectorB.msgSignature)).toBe(true);
    expect(createWeChatCipher(vectorB).decrypt(envelope.encrypt).message).toContain("<Content><![CDATA[abcdteT]]></Content>");
  });

  it("vector C: prefixes the UTF-8 byte length, not the character length", () => {
    const cipher = createWeChatCipher(vectorC);
    const encrypt = cipher.encrypt(vectorC.message, Buffer.from(vectorC.random, "latin1"));
    expect(encrypt).toBe(vectorC.encrypt);
    expect(rawPlaintext(vectorC.encodingAesKey, encrypt).readUInt32BE(16)).toBe(19);
    expect(vectorC.message.length).toBe(11);
    expect(cipher.decrypt(encrypt)).toEqual({ message: vectorC.message, appId: vectorC.appId });
  });
});

describe("safe mode: padding, refusals and fuzzing", () => {
  const cipher = createWeChatCipher(vectorB);
  // 16 random + 4 length + 18 appid = 38 bytes around the message.
  const frame = 16 + 4 + Buffer.byteLength(vectorB.appId);

  it("pads by hand to 32-byte blocks, including a whole block and pads over 16", () => {
    const padsSeen = new Set<number>();
    for (let bytes = 0; bytes <= 70; bytes++) {
      const message = "x".repeat(bytes);
      const encrypt = cipher.encrypt(message);
      const plaintext = rawPlaintext(vectorB.encodingAesKey, encrypt);
      const pad = plaintext.at(-1)!;
      expect(plaintext.length % 32).toBe(0);
      expect(pad).toBe(32 - ((frame + bytes) % 32));
      expect([...plaintext.subarray(plaintext.length - pad)].every((byte) => byte === pad)).toBe(true);
      expect(cipher.decrypt(encrypt).message).toBe(message);
      padsSeen.add(pad);
    }
    expect(padsSeen.size).toBe(32);

    const wholeBlock = "y".repeat(32 * 2 - frame); // 26 bytes: the plaintext ends on a block, pad = 32
    expect(rawPlaintext(vectorB.encodingAesKey, cipher.encrypt(wholeBlock)).at(-1)).toBe(32);
    expect(cipher.decrypt(cipher.encrypt(wholeBlock)).message).toBe(wholeBlock);
    const overSixteen = "中文"; // 6 bytes: pad = 20, which OpenSSL's 16-byte PKCS#7 would refuse
    expect(rawPlaintext(vectorB.encodingAesKey, cipher.encrypt(overSixteen)).at(-1)).toBe(20);
    expect(cipher.decrypt(cipher.encrypt(overSixteen)).message).toBe(overSixteen);
  });

  it("round-trips the empty message, emoji, and a long text", () => {
    for (const message of ["", "😀👍", "工作".repeat(2000), "<xml>]]></xml>"]) {
      expect(cipher.decrypt(cipher.encrypt(message))).toEqual({ message, appId: vectorB.appId });
    }
  });

  it("uses fresh random bytes for every encryption unless given some", () => {
    expect(cipher.encrypt("same")).not.toBe(cipher.encrypt("same"));
    const random = Buffer.alloc(16, 1);
    expect(cipher.encrypt("same", random)).toBe(cipher.encrypt("same", random));
  });

  it("refuses bad configuration and a random prefix of the wrong size", () => {
    expect(cryptoFailure(() => createWeChatCipher({ encodingAesKey: "A".repeat(42), appId: "wx1" }))).toBe("invalid_key");
    expect(cryptoFailure(() => createWeChatCipher({ encodingAesKey: "A".repeat(44), appId: "wx1" }))).toBe("invalid_key");
    expect(cryptoFailure(() => createWeChatCipher({ encodingAesKey: `${"A".repeat(42)}!`, appId: "wx1" }))).toBe("invalid_key");
    expect(cryptoFailure(() => createWeChatCipher({ encodingAesKey: "A".repeat(43), appId: "" }))).toBe("invalid_app_id");
    expect(cryptoFailure(() => cipher.encrypt("x", Buffer.alloc(15)))).toBe("invalid_random");
  });

  it("refuses what is not base64 or not whole AES blocks", () => {
    for (const encrypt of ["", "abc", "!!!!", "ab=c", "a b=", `${vectorB.encrypt}\n`, vectorB.encrypt.replace("+", "-")]) {
      expect(cryptoFailure(() => cipher.decrypt(encrypt)), encrypt).toBe(encrypt === "" ? "bad_ciphertext_length" : "not_base64");
    }
    expect(cryptoFailure(() => cipher.decrypt(Buffer.alloc(17).toString("base64")))).toBe("bad_ciphertext_length");
  });

  it("refuses forged plaintexts: bad padding, length prefixes that lie, a short header, invalid UTF-8", () => {
    const key = vectorB.encodingAesKey;
    const appId = vectorB.appId;
    const hello = Buffer.from("hello");
    const framed = plaintextOf({ message: hello, appId }); // 43 bytes: pad 21
    const withPad = (count: number, fill = count) => sealRaw(key, Buffer.concat([framed, Buffer.alloc(64 - framed.length - 1, fill), Buffer.from([count])]));

    expect(cipher.decrypt(sealRaw(key, padTo32(framed))).message).toBe("hello");
    expect(cryptoFailure(() => cipher.decrypt(withPad(0)))).toBe("bad_padding");
    expect(cryptoFailure(() => cipher.decrypt(withPad(33)))).toBe("bad_padding");
    expect(cryptoFailure(() => cipher.decrypt(withPad(255)))).toBe("bad_padding");
    expect(cryptoFailure(() => cipher.decrypt(withPad(21, 20)))).toBe("bad_padding");
    expect(cryptoFailure(() => cipher.decrypt(sealRaw(key, Buffer.alloc(16, 32))))).toBe("bad_padding");

    const lying = (length: number) => sealRaw(key, padTo32(plaintextOf({ message: hello, appId, length })));
    expect(cryptoFailure(() => cipher.decrypt(lying(0xffffffff)))).toBe("bad_length_prefix");
    expect(cryptoFailure(() => cipher.decrypt(lying(hello.length + appId.length + 1)))).toBe("bad_length_prefix");
    expect(cryptoFailure(() => cipher.decrypt(lying(hello.length + appId.length)))).toBe("app_id_mismatch");
    expect(cryptoFailure(() => cipher.decrypt(lying(hello.length + 1)))).toBe("app_id_mismatch");
    expect(cryptoFailure(() => cipher.decrypt(lying(hello.length - 1)))).toBe("app_id_mismatch");
    expect(cryptoFailure(() => cipher.decrypt(sealRaw(key, padTo32(Buffer.alloc(19, 1)))))).toBe("bad_length_prefix");

    const notUtf8 = sealRaw(key, padTo32(plaintextOf({ message: Buffer.from([0x68, 0xe4, 0xb8]), appId })));
    expect(cryptoFailure(() => cipher.decrypt(notUtf8))).toBe("not_utf8");
  });

  it("refuses a tampered ciphertext; the signature catches what CBC cannot", () => {
    const encrypt = cipher.encrypt("请把报名表发给我 and the rest of a message long enough for several blocks");
    const ciphertext = Buffer.from(encrypt, "base64");
    const signature = messageSignature(vectorB.token, vectorB.timestamp, vectorB.nonce, encrypt);
    const lastBlock = ciphertext.length - 16;
    for (let at = 0; at < ciphertext.length; at++) {
      const tampered = Buffer.from(ciphertext);
      tampered[at] = tampered[at]! ^ 0x01;
      const forged = tampered.toString("base64");
      // The msg_signature covers the ciphertext: the route refuses any change before decrypting.
      expect(signaturesMatch(messageSignature(vectorB.token, vectorB.timestamp, vectorB.nonce, forged), signature)).toBe(false);
      const failure = cryptoFailure(() => cipher.decrypt(forged));
      // The last two blocks hold the appid tail and the padding: a change there never decrypts.
      if (at >= lastBlock - 16) expect(failure, `byte ${at}`).not.toBe("no error");
      // Elsewhere CBC is malleable (a flipped bit in block n garbles block n and flips block n+1):
      // whatever comes out is refused, or at least is not the original message.
      if (failure === "no error") expect(cipher.decrypt(forged).message).not.toBe(cipher.decrypt(encrypt).message);
    }
  });

  it("refuses random and truncated ciphertexts with a WeChatCryptoError, never anything else", () => {
    const random = seededRandom(20240426);
    const valid = cipher.encrypt("only letters here so that no prefix ends in valid padding");
    const validBytes = Buffer.from(valid, "base64");
    const failures = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: 16 * (1 + Math.floor(random() * 12)) }, () => Math.floor(random() * 256)));
      failures.add(cryptoFailure(() => cipher.decrypt(bytes.toString("base64"))));
      const text = Array.from({ length: Math.floor(random() * 80) }, () => pick(random, [...`${BASE64_ALPHABET}=`])).join("");
      failures.add(cryptoFailure(() => cipher.decrypt(text)));
    }
    for (let cut = 0; cut < valid.length; cut++) failures.add(cryptoFailure(() => cipher.decrypt(valid.slice(0, cut))));
    for (let blocks = 1; blocks < validBytes.length / 16; blocks++) {
      failures.add(cryptoFailure(() => cipher.decrypt(validBytes.subarray(0, blocks * 16).toString("base64"))));
      failures.add(cryptoFailure(() => cipher.decrypt(validBytes.subarray(blocks * 16).toString("base64"))));
    }
    expect(failures.has("no error")).toBe(false);
    // The random inputs reach every check up to the length prefix, not only the base64 one.
    expect(failures).toEqual(new Set(["not_base64", "bad_ciphertext_length", "bad_padding", "bad_length_prefix"]));
  });
});

describe("safe mode: wechat-crypto as an independent oracle", () => {
  it("decrypts each other's ciphertexts for hundreds of random messages, keys and AppIDs", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 8; round++) {
      const encodingAesKey = randomKey(random);
      const appId = `wx${Math.floor(random() * 1e16).toString(16).padStart(16, "0")}`;
      const token = `token${round}`;
      const ours = createWeChatCipher({ encodingAesKey, appId });
      const theirs = new OracleWXBizMsgCrypt(token, encodingAesKey, appId);
      for (let i = 0; i < 50; i++) {
        const message = randomMessage(random, round < 4 ? 40 : 400);
        const ourEncrypt = ours.encrypt(message);
        expect(theirs.decrypt(ourEncrypt), `round ${round} message ${i}`).toEqual({ message, id: appId });
        const theirEncrypt = theirs.encrypt(message);
        expect(ours.decrypt(theirEncrypt), `round ${round} message ${i}`).toEqual({ message, appId });
        expect(messageSignature(token, "1714112445", "415670741", theirEncrypt)).toBe(theirs.getSignature("1714112445", "415670741", theirEncrypt));
      }
    }
  });

  it("agrees with the oracle on vector A", () => {
    const theirs = new OracleWXBizMsgCrypt(vectorA.token, vectorA.encodingAesKey, vectorA.appId);
    expect(theirs.getSignature(vectorA.timestamp, vectorA.nonce, vectorA.encrypt)).toBe(vectorA.msgSignature);
    expect(theirs.decrypt(vectorA.encrypt).message).toBe(createWeChatCipher(vectorA).decrypt(vectorA.encrypt).message);
  });
});

// ---------------------------------------------------------------------------------------------

const textXml = `<xml>
  <ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>
  <FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>
  <CreateTime>1348831860</CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[我想找工作]]></Content>
  <MsgId>1234567890123456</MsgId>
  <MsgDataId>xxxx</MsgDataId>
  <Idx>xxxx</Idx>
</xml>`;

const voiceXml = (recognition: string | null) =>
  "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[openid1]]></FromUserName><CreateTime>1357290913</CreateTime>" +
  "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format>" +
  (recognition === null ? "" : `<Recognition><![CDATA[${recognition}]]></Recognition>`) +
  "<MsgId>1234567890123457</MsgId></xml>";

const eventXml = (event: string, eventKey?: string) =>
  "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[openid1]]></FromUserName><CreateTime>123456789</CreateTime>" +
  `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>` +
  (eventKey === undefined ? "" : `<EventKey><![CDATA[${eventKey}]]></EventKey>`) +
  "</xml>";

function refusal(xml: string): string {
  try {
    parseWeChatXml(xml);
  } catch (error) {
    if (error instanceof WeChatXmlError) return error.message;
    throw error;
  }
  throw new Error("parsed, but should have been refused");
}

describe("callback XML: reading", () => {
  it("reads a text message", () => {
    const fields = parseWeChatXml(textXml);
    expect(fields).toEqual({
      ToUserName: "gh_10f6c3c3ac5a",
      FromUserName: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
      CreateTime: "1348831860",
      MsgType: "text",
      Content: "我想找工作",
      MsgId: "1234567890123456",
      MsgDataId: "xxxx",
      Idx: "xxxx",
    });
    expect(readInbound(fields)).toEqual({
      kind: "text",
      from: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
      to: "gh_10f6c3c3ac5a",
      createTime: 1348831860,
      msgId: "1234567890123456",
      content: "我想找工作",
    });
  });

  it("reads voice with a transcript, and without one (absent or empty)", () => {
    const base = { kind: "voice", from: "openid1", to: "gh_1", createTime: 1357290913, msgId: "1234567890123457", mediaId: "media_id", format: "amr" };
    expect(readInbound(parseWeChatXml(voiceXml("我会开叉车")))).toEqual({ ...base, recognition: "我会开叉车" });
    const withoutTranscript = readInbound(parseWeChatXml(voiceXml(null)));
    expect(withoutTranscript).toEqual(base);
    expect(withoutTranscript.kind === "voice" && withoutTranscript.recognition).toBeUndefined();
    for (const blank of ["", " \n"]) expect(readInbound(parseWeChatXml(voiceXml(blank)))).toEqual(base);
  });

  it("reads subscribe, unsubscribe and CLICK events, and dedupes them on sender, time and event", () => {
    const subscribe = readInbound(parseWeChatXml(eventXml("subscribe", "")));
    expect(subscribe).toEqual({ kind: "event", from: "openid1", to: "gh_1", createTime: 123456789, event: "subscribe" });
    expect(readInbound(parseWeChatXml(eventXml("subscribe", "qrscene_42")))).toMatchObject({ event: "subscribe", eventKey: "qrscene_42" });
    expect(readInbound(parseWeChatXml(eventXml("unsubscribe")))).toMatchObject({ kind: "event", event: "unsubscribe" });
    const click = readInbound(parseWeChatXml(eventXml("CLICK", "FIND_JOBS")));
    expect(click).toEqual({ kind: "event", from: "openid1", to: "gh_1", createTime: 123456789, event: "CLICK", eventKey: "FIND_JOBS" });

    expect(dedupeKey(subscribe)).toBe("openid1:123456789:subscribe");
    expect(dedupeKey(readInbound(parseWeChatXml(eventXml("subscribe", ""))))).toBe(dedupeKey(subscribe)); // WeChat's retry
    expect(dedupeKey(click)).not.toBe(dedupeKey(subscribe));
    expect(readInbound(parseWeChatXml("<xml><ToUserName>gh_1</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>CLICK</Event><EventKey/></xml>"))).toEqual({
      kind: "event",
      from: "u",
      to: "gh_1",
      createTime: 1,
      event: "CLICK",
    });
  });

  it("reads other message types, keeping their MsgId for dedupe", () => {
    const image = readInbound(parseWeChatXml(textXml.replace("<![CDATA[text]]>", "<![CDATA[image]]>")));
    expect(image).toEqual({ kind: "other", msgType: "image", from: "oyORnuP8q7ou2gfYjqLzSIWZf0rs", to: "gh_10f6c3c3ac5a", createTime: 1348831860, msgId: "1234567890123456" });
    expect(dedupeKey(image)).toBe("oyORnuP8q7ou2gfYjqLzSIWZf0rs:1234567890123456");
    const noId = readInbound({ ToUserName: "gh", FromUserName: "u", CreateTime: "5", MsgType: "miniprogrampage" });
    expect(dedupeKey(noId)).toBe("u:5:miniprogrampage");
  });

  it("refuses a message that lacks a required field", () => {
    const without = (xml: string, field: string) => xml.replace(new RegExp(`<${field}>.*?</${field}>`, "s"), "");
    const missing = (xml: string) => {
      try {
        readInbound(parseWeChatXml(xml));
      } catch (error) {
        return error instanceof WeChatXmlError;
      }
      return false;
    };
    for (const field of ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId"]) expect(missing(without(textXml, field)), field).toBe(true);
    for (const field of ["MediaId", "Format", "MsgId"]) expect(missing(without(voiceXml("x"), field)), field).toBe(true);
    expect(missing(without(eventXml("CLICK", "K"), "Event"))).toBe(true);
    expect(missing(textXml.replace("<CreateTime>1348831860", "<CreateTime>soon"))).toBe(true);
    expect(missing(textXml.replace("<CreateTime>1348831860", "<CreateTime>-1"))).toBe(true);
    expect(missing(textXml.replace("<![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]>", "<![CDATA[ ]]>"))).toBe(true);
    expect(() => encryptedEnvelope("<xml><ToUserName>gh</ToUserName></xml>")).toThrow(WeChatXmlError);
    expect(encryptedEnvelope("<xml><Encrypt>abcd</Encrypt></xml>")).toEqual({ encrypt: "abcd" });
  });

  it("joins CDATA sections split around ]]>, mixes them with text, and decodes entities", () => {
    expect(parseWeChatXml("<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>").Content).toBe("a]]>b");
    expect(parseWeChatXml("<xml><Content>x<![CDATA[<&>]]>y</Content></xml>").Content).toBe("x<&>y");
    expect(parseWeChatXml("<xml><Content>&lt;b&gt; &amp; &quot;q&quot; &apos;a&apos; &#20320;&#x597D;&#x1F600;</Content></xml>").Content).toBe("<b> & \"q\" 'a' 你好😀");
    expect(parseWeChatXml("<xml><Content><![CDATA[&amp; stays]]></Content></xml>").Content).toBe("&amp; stays");
    expect(parseWeChatXml("<xml><Content>a > b</Content></xml>").Content).toBe("a > b");
  });

  it("accepts the harmless extras: a BOM, an XML declaration, whitespace, empty elements, closing-tag spaces", () => {
    expect(parseWeChatXml('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<xml>\r\n\t<A>1</A >\n<B/></xml>\n')).toEqual({ A: "1", B: "" });
    expect(parseWeChatXml("<xml></xml>")).toEqual({});
    expect(parseWeChatXml("<xml><Content>  spaced  </Content></xml>").Content).toBe("  spaced  ");
  });

  it("keeps a field named __proto__ as data, never as a prototype", () => {
    const fields = parseWeChatXml("<xml><__proto__><![CDATA[polluted]]></__proto__><constructor>c</constructor></xml>");
    expect(Object.keys(fields)).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(fields, "__proto__")?.value).toBe("polluted");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => readInbound(fields)).toThrow(WeChatXmlError);
  });
});

describe("callback XML: refusals", () => {
  it("refuses DOCTYPE and ENTITY declarations (no XXE, no entity expansion)", () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>';
    expect(refusal(xxe)).toMatch(/declarations/);
    expect(refusal('<!DOCTYPE xml><xml></xml>')).toMatch(/declarations/);
    expect(refusal('<xml><!ENTITY a "b"><Content>x</Content></xml>')).toMatch(/declarations/);
    const billionLaughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><A>&lol2;</A></xml>';
    expect(refusal(billionLaughs)).toMatch(/declarations/);
    expect(refusal("<xml><Content>&xxe;</Content></xml>")).toMatch(/entity/);
  });

  it("refuses nesting, attributes, comments, stray text and duplicates", () => {
    expect(refusal("<xml><A><B>x</B></A></xml>")).toMatch(/nested/);
    expect(refusal("<xml><xml><A>1</A></xml></xml>")).toMatch(/nested/);
    expect(parseWeChatXml("<xml><xml>a</xml></xml>")).toEqual({ xml: "a" }); // a flat child that happens to be named xml
    expect(refusal('<xml><A b="1">x</A></xml>')).toMatch(/attributes/);
    expect(refusal('<xml a="1"></xml>')).toMatch(/root/);
    expect(refusal("<xml><!-- hi --><A>x</A></xml>")).toMatch(/comments/);
    expect(refusal("<xml><A><!-- hi --></A></xml>")).toMatch(/nested/);
    expect(refusal("<xml><?php ?></xml>")).toMatch(/processing/);
    expect(refusal("<xml>stray<A>x</A></xml>")).toMatch(/text between/);
    expect(refusal("<xml><A>1</A><A>2</A></xml>")).toMatch(/twice/);
    expect(refusal("<xml><1A>x</1A></xml>")).toMatch(/name/);
    expect(refusal(`<xml><${"N".repeat(65)}>x</${"N".repeat(65)}></xml>`)).toMatch(/too long/);
  });

  it("refuses unclosed and mismatched markup and trailing content", () => {
    expect(refusal("<xml><A>x</xml>")).toMatch(/closed by/);
    expect(refusal("<xml><A>x")).toMatch(/not closed/);
    expect(refusal("<xml><A>x</A>")).toMatch(/not closed/);
    expect(refusal("<xml><A><![CDATA[x</A></xml>")).toMatch(/CDATA/);
    expect(refusal("<xml><A>x</B></xml>")).toMatch(/closed by/);
    expect(refusal("<xml><A>x</A</xml>")).toMatch(/closing tag/);
    expect(refusal("<xml></xml><xml></xml>")).toMatch(/after/);
    expect(refusal('<?xml version="1.0"')).toMatch(/declaration/);
    expect(refusal("")).toMatch(/root/);
    expect(refusal("<root></root>")).toMatch(/root/);
  });

  it("refuses bare ampersands and invalid numeric entities", () => {
    for (const entity of ["&", "& ", "&amp", "&#;", "&#0;", "&#x;", "&#x110000;", "&#xD800;", "&#99999999;", "&#xG;", "&nbsp;", "&AMP;", "&#X41;"]) {
      expect(refusal(`<xml><A>${entity}</A></xml>`), entity).toMatch(/&|entity/);
    }
  });

  it("refuses oversize bodies, and non-text", () => {
    const padding = " ".repeat(DEFAULT_MAX_XML_LENGTH);
    expect(refusal(`<xml>${padding}</xml>`)).toMatch(/longer/);
    expect(parseWeChatXml(`<xml>${padding.slice(11)}</xml>`)).toEqual({});
    expect(() => parseWeChatXml(textXml, { maxLength: 100 })).toThrow(WeChatXmlError);
    expect(() => parseWeChatXml(null as unknown as string)).toThrow(WeChatXmlError);
  });

  // Not a speed target (bench:webhooks measures speed): a guard against work that grows faster than
  // the input. The inputs are 16 times the real limit, where a quadratic pass would take minutes
  // and a linear one a few milliseconds, so the bound holds on any machine however busy.
  it("parses pathological inputs in time linear in their length", () => {
    const limit = DEFAULT_MAX_XML_LENGTH * 16;
    const near = (unit: string) => unit.repeat(Math.floor((limit - 40) / unit.length));
    const inputs = [
      `<xml><A>${near("&")}</A></xml>`,
      `<xml><A>${near("&a")}</A></xml>`,
      `<xml><A>${near("&amp;")}</A></xml>`,
      `<xml><A>${near("<![CDATA[")}`,
      `<xml><A>${near("<![CDATA[]]>")}</A></xml>`,
      `<xml><A>${near("]]")}`,
      `<xml>${near("<A>")}`,
      `<xml>${near(" ")}`,
      near("<"),
      `<?xml ${near("?")}`,
      `<xml>${Array.from({ length: 5000 }, (_, i) => `<F${i}/>`).join("")}</xml>`,
      `<xml><A>${near("x")}</A></xml>`,
    ];
    for (const [index, xml] of inputs.entries()) {
      expect(xml.length).toBeLessThanOrEqual(limit);
      expect(parseMillis(xml, { maxLength: limit }), `input ${index}`).toBeLessThan(2_000);
    }
  });

  it("fuzz: thousands of mutated messages parse or throw WeChatXmlError, each in a few ms", () => {
    const seed = 424242;
    const random = seededRandom(seed);
    const bases = [textXml, voiceXml("我会开叉车"), eventXml("CLICK", "FIND_JOBS"), "<xml><Content>&lt;&#x4F60;&amp;<![CDATA[]]]]><![CDATA[>]]></Content></xml>", `<?xml version="1.0"?>${textXml}`];
    const tokens = ["<", ">", "&", ";", "/", "!", "?", "]]>", "<![CDATA[", "]]", "[", "<!DOCTYPE x>", "<!ENTITY e 'v'>", "&#x", "&#", "&amp;", "&e;", "</", "/>", "<xml>", "</xml>", '"', "=", " ", "\n", "\u0000", "\uD800", "中", "<A>", "</A>", "<MsgId>", "</Content>", "&#x110000;", "&#55296;"];
    const mutate = (text: string): string => {
      const at = Math.floor(random() * (text.length + 1));
      const to = Math.min(text.length, at + Math.floor(random() * 12));
      switch (Math.floor(random() * 6)) {
        case 0:
          return text.slice(0, at) + text.slice(to); // delete a run
        case 1:
          return text.slice(0, at) + pick(random, tokens) + text.slice(at); // insert markup
        case 2:
          return text.slice(0, at) + text.slice(at, to).repeat(1 + Math.floor(random() * 4)) + text.slice(to); // repeat a run
        case 3:
          return text.slice(0, at); // truncate
        case 4:
          return text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + text.slice(at + 1); // replace a character
        default:
          return text.slice(to) + text.slice(0, to); // rotate
      }
    };

    const outcomes = { parsed: 0, refused: 0 };
    let slowest = 0;
    for (let i = 0; i < 4000; i++) {
      let xml = pick(random, bases);
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) xml = mutate(xml);
      const outcome = (() => {
        try {
          return parseOrRefuse(xml);
        } catch (error) {
          throw new Error(`seed ${seed}, input ${i}: ${JSON.stringify(xml)} threw ${String(error)}`);
        }
      })();
      outcomes[outcome] += 1;
      slowest = Math.max(slowest, parseMillis(xml));
    }
    for (let i = 0; i < 1000; i++) {
      const xml = Array.from({ length: Math.floor(random() * 200) }, () => pick(random, tokens)).join("");
      outcomes[parseOrRefuse(xml)] += 1;
      slowest = Math.max(slowest, parseMillis(xml));
    }
    // Both outcomes occur: the fuzzing explores both sides of the parser, not only its first check.
    expect(outcomes.parsed).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(2000);
    // No input near a hang: each is a few hundred characters, so even a busy machine parses it in
    // well under this (a pathological one would take seconds).
    expect(slowest).toBeLessThan(500);
  });
});

describe("callback XML: replies", () => {
  const reply = { to: "oyORnuP8q7ou2gfYjqLzSIWZf0rs", from: "gh_10f6c3c3ac5a", createTime: 1714112445 };

  it("renders a passive text reply in WeChat's shape", () => {
    expect(textReplyXml({ ...reply, content: "你好" })).toBe(
      "<xml><ToUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></ToUserName><FromUserName><![CDATA[gh_10f6c3c3ac5a]]></FromUserName>" +
        "<CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>",
    );
  });

  it("round-trips content with ]]>, <&> and quotes through the parser", () => {
    for (const content of ["a]]>b", "]]>", "]]]]>>", "<&>", "<![CDATA[x]]>", "&amp;", "'\"", "", "多行\n文本\r\n", "x]]", "]]>]]>"]) {
      const fields = parseWeChatXml(textReplyXml({ ...reply, content }));
      expect(fields, content).toEqual({ ToUserName: reply.to, FromUserName: reply.from, CreateTime: "1714112445", MsgType: "text", Content: content });
    }
  });

  it("round-trips random content, dropping only characters XML forbids", () => {
    const random = seededRandom(99);
    const alphabet = [..."]]>[<!&;#x\"' ab中文", "]]>", "<![CDATA[", "\u0001", "\u000b", "\uFFFF", "😀"];
    for (let i = 0; i < 1000; i++) {
      const content = Array.from({ length: Math.floor(random() * 40) }, () => pick(random, alphabet)).join("");
      const expected = content.replace(/[\u0001\u000b\uFFFF]/g, "");
      expect(parseWeChatXml(textReplyXml({ ...reply, content })).Content, JSON.stringify(content)).toBe(expected);
    }
  });

  it("refuses a createTime that is not whole seconds", () => {
    expect(() => textReplyXml({ ...reply, createTime: 1.5, content: "x" })).toThrow(RangeError);
    expect(() => textReplyXml({ ...reply, createTime: -1, content: "x" })).toThrow(RangeError);
  });

  it("wraps an encrypted reply in the safe-mode envelope, which WeChat's side can verify and open", () => {
    const cipher = createWeChatCipher(vectorB);
    const replyXml = textReplyXml({ ...reply, content: "收到]]>，谢谢 <&>" });
    const encrypt = cipher.encrypt(replyXml);
    const timestamp = "1714112446";
    const nonce = "777";
    const envelope = encryptedReplyXml({ encrypt, msgSignature: messageSignature(vectorB.token, timestamp, nonce, encrypt), timestamp, nonce });
    expect(envelope).toMatch(/^<xml><Encrypt><!\[CDATA\[[A-Za-z0-9+/=]+\]\]><\/Encrypt><MsgSignature><!\[CDATA\[[0-9a-f]{40}\]\]><\/MsgSignature><TimeStamp>1714112446<\/TimeStamp><Nonce><!\[CDATA\[777\]\]><\/Nonce><\/xml>$/);

    const fields = parseWeChatXml(envelope);
    expect(signaturesMatch(messageSignature(vectorB.token, fields.TimeStamp!, fields.Nonce!, fields.Encrypt!), fields.MsgSignature)).toBe(true);
    const theirs = new OracleWXBizMsgCrypt(vectorB.token, vectorB.encodingAesKey, vectorB.appId);
    expect(parseWeChatXml(theirs.decrypt(fields.Encrypt!).message).Content).toBe("收到]]>，谢谢 <&>");

    expect(encryptedReplyXml({ encrypt: "e", msgSignature: "s", timestamp: 1714112446, nonce: "n" })).toContain("<TimeStamp>1714112446</TimeStamp>");
    expect(parseWeChatXml(encryptedReplyXml({ encrypt: "e", msgSignature: "s", timestamp: "<1&2>", nonce: "]]>" }))).toMatchObject({ TimeStamp: "<1&2>", Nonce: "]]>" });
  });
});
