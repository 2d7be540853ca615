// Safe mode (`encrypt_type=aes`) of the WeChat Official Account callback.
//
//   ciphertext = base64(AES-256-CBC(key, iv, pkcs7_32(random16 ‖ uint32be(byteLength(message)) ‖ message ‖ appId)))
//   key = base64decode(EncodingAESKey + "="), iv = key[0..16)
//
// WeChat pads to a 32-byte block, so a pad byte can be 17..32, which OpenSSL's PKCS#7 (16-byte
// blocks) rejects: padding is added and removed here by hand. Every way a ciphertext can be wrong
// ends in a WeChatCryptoError naming the reason; nothing reads outside the decrypted buffer.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export type WeChatCryptoFailure =
  | "invalid_key"
  | "invalid_app_id"
  | "invalid_random"
  | "not_base64"
  | "bad_ciphertext_length"
  | "decipher_failed"
  | "bad_padding"
  | "bad_length_prefix"
  | "not_utf8"
  | "app_id_mismatch";

export class WeChatCryptoError extends Error {
  constructor(
    readonly reason: WeChatCryptoFailure,
    message: string,
  ) {
    super(message);
    this.name = "WeChatCryptoError";
  }
}

export interface WeChatCipherConfig {
  /** the 43-character EncodingAESKey from the account's server settings */
  encodingAesKey: string;
  /** the account's AppID: the tail of every plaintext, checked on the way in */
  appId: string;
}

export interface WeChatCipher {
  /** Decrypts an `Encrypt` value; throws WeChatCryptoError when it is not a message for this account. */
  decrypt(encrypt: string): { message: string; appId: string };
  /** Encrypts a reply; `random` (16 bytes) is for test vectors only, fresh random bytes otherwise. */
  encrypt(message: string, random?: Buffer): string;
}

const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const HEADER_BYTES = RANDOM_BYTES + LENGTH_BYTES;
const AES_BLOCK = 16;

// Node's base64 decoder skips characters it does not know; checking the alphabet first keeps a
// mangled value from decrypting into something else. Linear: no nested quantifiers.
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function createWeChatCipher(config: WeChatCipherConfig): WeChatCipher {
  const key = aesKeyOf(config.encodingAesKey);
  const iv = key.subarray(0, AES_BLOCK);
  if (typeof config.appId !== "string" || config.appId.length === 0) {
    throw new WeChatCryptoError("invalid_app_id", "the AppID must be a non-empty string");
  }
  const appId = Buffer.from(config.appId, "utf8");

  return {
    decrypt(encrypt) {
      const plaintext = unpad(decipher(key, iv, decodeBase64(encrypt)));
      const { message, tail } = splitPlaintext(plaintext);
      if (!tail.equals(appId)) {
        throw new WeChatCryptoError("app_id_mismatch", "the message was encrypted for another AppID");
      }
      return { message: decodeUtf8(message), appId: config.appId };
    },

    encrypt(message, random = randomBytes(RANDOM_BYTES)) {
      if (random.length !== RANDOM_BYTES) {
        throw new WeChatCryptoError("invalid_random", `the random prefix must be ${RANDOM_BYTES} bytes`);
      }
      const body = Buffer.from(message, "utf8");
      const length = Buffer.alloc(LENGTH_BYTES);
      length.writeUInt32BE(body.length, 0);
      const cipher = createCipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
      const padded = pad(Buffer.concat([random, length, body, appId]));
      return Buffer.concat([cipher.update(padded), cipher.final()]).toString("base64");
    },
  };
}

function aesKeyOf(encodingAesKey: string): Buffer {
  if (typeof encodingAesKey !== "string" || !ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new WeChatCryptoError("invalid_key", "the EncodingAESKey must be 43 characters of base64");
  }
  return Buffer.from(`${encodingAesKey}=`, "base64");
}

function decodeBase64(encrypt: string): Buffer {
  if (typeof encrypt !== "string" || encrypt.length % 4 !== 0 || !BASE64.test(encrypt)) {
    throw new WeChatCryptoError("not_base64", "the Encrypt value is not base64");
  }
  const ciphertext = Buffer.from(encrypt, "base64");
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new WeChatCryptoError("bad_ciphertext_length", `the ciphertext is not a whole number of ${AES_BLOCK}-byte blocks`);
  }
  return ciphertext;
}

function decipher(key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  try {
    const aes = createDecipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
    return Buffer.concat([aes.update(ciphertext), aes.final()]);
  } catch {
    // Unreachable with whole blocks and padding off, but an OpenSSL message must never leak out.
    throw new WeChatCryptoError("decipher_failed", "the ciphertext could not be deciphered");
  }
}

/** PKCS#7 to a 32-byte block: always 1..32 bytes, each holding the count. */
function pad(plaintext: Buffer): Buffer {
  const count = PAD_BLOCK - (plaintext.length % PAD_BLOCK);
  return Buffer.concat([plaintext, Buffer.alloc(count, count)]);
}

function unpad(padded: Buffer): Buffer {
  const count = padded.at(-1) ?? 0;
  if (count < 1 || count > PAD_BLOCK || count > padded.length) {
    throw new WeChatCryptoError("bad_padding", `the padding byte ${count} is outside 1..${PAD_BLOCK}`);
  }
  // Every pad byte must hold the count: a wrong key or a tampered block rarely passes this.
  for (let i = padded.length - count; i < padded.length; i++) {
    if (padded[i] !== count) throw new WeChatCryptoError("bad_padding", "the padding bytes disagree");
  }
  return padded.subarray(0, padded.length - count);
}

/** Splits random ‖ length ‖ message ‖ tail, trusting the declared length only once it fits. */
function splitPlaintext(plaintext: Buffer): { message: Buffer; tail: Buffer } {
  if (plaintext.length < HEADER_BYTES) {
    throw new WeChatCryptoError("bad_length_prefix", "the plaintext is shorter than its header");
  }
  const declared = plaintext.readUInt32BE(RANDOM_BYTES);
  if (declared > plaintext.length - HEADER_BYTES) {
    throw new WeChatCryptoError("bad_length_prefix", `the declared length ${declared} exceeds the ${plaintext.length - HEADER_BYTES} bytes present`);
  }
  const end = HEADER_BYTES + declared;
  return { message: plaintext.subarray(HEADER_BYTES, end), tail: plaintext.subarray(end) };
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new WeChatCryptoError("not_utf8", "the message is not valid UTF-8");
  }
}
