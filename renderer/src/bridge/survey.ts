/**
 * Cluster-wide queries and actions ask every supervisor on the engine (a survey with a timeout);
 * a result names the ones that did not answer in `unanswered`, and the console says so wherever
 * it shows that result, never as if the answer were complete.
 */

/** The `unanswered` list of a result, when it has a non-empty one. */
export function unansweredOf(result: unknown): string[] | null {
  if (typeof result !== 'object' || result === null || !('unanswered' in result)) return null;
  const list = (result as { unanswered?: unknown }).unanswered;
  return Array.isArray(list) && list.length > 0 && list.every((x) => typeof x === 'string') ? list : null;
}

/**
 * "Supervisor sb-a did not answer in time: …", "Supervisors sb-a and sb-c did not answer in time: …",
 * the `consequence` said of "there" so it reads for one or several ("connections there are not
 * listed"); null when every one answered.
 */
export function unansweredText(unanswered: readonly string[] | null | undefined, consequence: string): string | null {
  if (!unanswered || unanswered.length === 0) return null;
  const one = unanswered.length === 1;
  const names = one ? unanswered[0]! : `${unanswered.slice(0, -1).join(', ')} and ${unanswered[unanswered.length - 1]!}`;
  return `${one ? 'Supervisor' : 'Supervisors'} ${names} did not answer in time: ${consequence}`;
}
