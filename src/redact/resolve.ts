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
  sortCandidates(candidates);
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

const byPosition = (a: Candidate, b: Candidate) => a.start - b.start || b.end - a.end || better(a, b);

// Packed sort key: start (24 bits), 2^15-1 - length (15 bits), input index (14 bits) = 53 bits, exact in a double.
const START_LIMIT = 2 ** 24;
const LEN_LIMIT = 2 ** 15 - 1;
const INDEX_LIMIT = 2 ** 14;

/**
 * Sorts in place by start, then longest, then `better`, exactly as `candidates.sort(byPosition)` (a stable sort) does.
 * Typical units hold thousands of candidates: a numeric sort of packed keys avoids a comparator call per comparison.
 */
function sortCandidates(candidates: Candidate[]): void {
  const n = candidates.length;
  if (n >= INDEX_LIMIT) {
    candidates.sort(byPosition);
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!;
    const len = c.end - c.start;
    if (c.start >= START_LIMIT || len >= LEN_LIMIT || len < 0 || c.start < 0) {
      candidates.sort(byPosition);
      return;
    }
    keys[i] = (c.start * 2 ** 15 + (LEN_LIMIT - len)) * INDEX_LIMIT + i;
  }
  keys.sort();
  const sorted = new Array<Candidate>(n);
  for (let i = 0; i < n; i++) sorted[i] = candidates[keys[i]! % INDEX_LIMIT]!;
  // Equal start and length: input order so far; order those (rare) runs by `better`, stably, as the comparator would.
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j]!.start === sorted[i]!.start && sorted[j]!.end === sorted[i]!.end) j++;
    if (j - i > 1) {
      const run = sorted.slice(i, j).sort(better);
      for (let k = i; k < j; k++) sorted[k] = run[k - i]!;
    }
    i = j;
  }
  for (let i = 0; i < n; i++) candidates[i] = sorted[i]!;
}

function pickNonOverlapping(cluster: Candidate[]): Candidate[] {
  const ranked = [...cluster].sort(better);
  const chosen: Candidate[] = [];
  for (const c of ranked) {
    if (chosen.every((k) => c.end <= k.start || c.start >= k.end)) chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
