// The conversation engine's public face: the host calls start/resume and renders with renderReplies.
export { resume, SESSION_EXPIRY_DAYS, SESSION_LOST, start } from "./engine.ts";
export { topicOf } from "./flows/index.ts";
export { CONSENT_WORDING } from "./flows/registration.ts";
export { renderReplies, renderText } from "./render.ts";
export { readCommand } from "./commands.ts";
export type * from "./types.ts";
export { recordFactReply, type RecordFact } from "../wording/record-facts.ts";
