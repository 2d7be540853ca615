// Time, read from one clock. Every verb takes `clock` from its dependencies: the service's is the
// wall clock, a test's is fixed unless the test asks for the real one. What the database writes
// about time takes the verb's clock as a parameter, never SQL's now(), so the two cannot disagree.

export type Clock = () => Date;

export const wallClock: Clock = () => new Date();

/** Work queued "at once" (a job, a message) is due under whichever clock reads it: the epoch. */
export const AT_ONCE = new Date(0);
