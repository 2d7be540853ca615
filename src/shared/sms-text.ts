// What one Chinese SMS holds for the service's own words. A message is 70 characters (UCS-2), and
// the provider's signature is part of it: Aliyun prepends the approved 【签名】 to every message and
// the carrier counts it. Room is kept for a signature of up to six characters (【就业直通车】,
// 【云霄县人社局】); with a longer one the fullest texts go as two parts, and the start-up log says so.
const SMS_CHARS = 70;
export const SIGNATURE_ROOM = 8;
/** Characters (UTF-16 units) of our text in one SMS, the signature's room set aside. */
export const SMS_TEXT_CHARS = SMS_CHARS - SIGNATURE_ROOM;
