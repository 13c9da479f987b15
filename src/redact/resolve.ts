/** Overlap resolution: the longest span wins, then the most specific type, then the leftmost. Output never overlaps. */

export interface Candidate {
  start: number;
  end: number;
  type: string;
  specificity: number;
  /** Allow-listed: wins like any span, then is dropped, so nothing inside an allow-listed value is redacted. */
  keep: boolean;
}

function better(a: Candidate, b: Candidate): number {
  return (
    b.end - b.start - (a.end - a.start) ||
    b.specificity - a.specificity ||
    a.start - b.start ||
    (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)
  );
}

/**
 * Resolves candidates into non-overlapping spans sorted by start. Candidates are grouped into clusters of transitively
 * overlapping spans (almost always a single span); inside a cluster the best span is taken first, then the best of
 * those not overlapping it, and so on. Deterministic: the result depends only on the set of candidates.
 */
export function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  if (candidates.length <= 1) return candidates;
  candidates.sort((a, b) => a.start - b.start || b.end - a.end || better(a, b));
  const out: Candidate[] = [];
  let cluster: Candidate[] = [];
  let clusterEnd = -1;
  const flush = () => {
    if (cluster.length === 1) out.push(cluster[0]!);
    else if (cluster.length > 1) out.push(...pickNonOverlapping(cluster));
    cluster = [];
  };
  for (const c of candidates) {
    if (c.start >= clusterEnd) {
      flush();
      clusterEnd = c.end;
    } else if (c.end > clusterEnd) {
      clusterEnd = c.end;
    }
    cluster.push(c);
  }
  flush();
  return out;
}

function pickNonOverlapping(cluster: Candidate[]): Candidate[] {
  const ranked = [...cluster].sort(better);
  const chosen: Candidate[] = [];
  for (const c of ranked) {
    if (chosen.every((k) => c.end <= k.start || c.start >= k.end)) chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
