/** Traffic counters a node keeps for its stats reports (totals since the node started). */
export interface NodeCounters {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Handed-over sockets that became a session or closed before that (NodeStats.handoffsSettled). */
  handoffsSettled: number;
}

export const newCounters = (): NodeCounters => ({ messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, handoffsSettled: 0 });
