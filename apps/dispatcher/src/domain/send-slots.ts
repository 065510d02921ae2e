/**
 * An endpoint's rate limit as a schedule of send slots (the generic cell rate algorithm): slots are `1000 / rate` ms
 * apart, and up to `rate` of them may lie in the last second, so an idle endpoint takes a burst of `rate` at once
 * (as a token bucket holding a second's worth) and a busy one exactly its rate. The whole state is the time of the
 * next free slot, which is what lets every dispatcher instance share one limit through one Postgres row.
 */
export interface SendSlotState {
  /** Epoch ms of the next free slot; null for an endpoint that never sent. */
  nextSlotMs: number | null;
}

export interface SendSlotDecision {
  /** How many of the wanted sends may go now. */
  granted: number;
  /** The state to store. */
  nextSlotMs: number;
}

export function slotIntervalMs(ratePerSecond: number): number {
  return 1000 / ratePerSecond;
}

/** Grants up to `wanted` sends at `nowMs`: as many as there are slots due by now, never one in the future. */
export function decideSendSlots(state: SendSlotState, nowMs: number, ratePerSecond: number, wanted: number): SendSlotDecision {
  const interval = slotIntervalMs(ratePerSecond);
  const burst = Math.max(1, ratePerSecond);
  // Slots left unused longer ago than a burst's span are gone: an idle endpoint does not save up more than a burst.
  const start = Math.max(state.nextSlotMs ?? -Infinity, nowMs - (burst - 1) * interval);
  const due = start > nowMs ? 0 : Math.floor((nowMs - start) / interval) + 1;
  const granted = Math.max(0, Math.min(wanted, due));
  return { granted, nextSlotMs: start + granted * interval };
}

/**
 * When the sends that were not granted should ask again: from the next free slot on, one interval apart, so they
 * come back spread at the endpoint's rate rather than all at once.
 */
export function askAgainAt(decision: SendSlotDecision, ratePerSecond: number, refused: number): number[] {
  const interval = slotIntervalMs(ratePerSecond);
  return Array.from({ length: refused }, (_, i) => decision.nextSlotMs + i * interval);
}
