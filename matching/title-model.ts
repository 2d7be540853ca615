// A multinomial naive Bayes classifier over character n-grams of cleaned job titles, learned from
// labelled titles and the classification's own names and aliases. It learns how real postings are
// coded ("销售经理" is 市场营销专业人员 in the labelled data, not 营销员) where a dictionary cannot.
//
// Why these choices:
// - Character 1–3-grams with segment boundaries ("^保", "安$"): Chinese titles are unsegmented and put
//   the head noun last, so the grams at a segment's end say most about the job. A Latin or digit run
//   ("otc", "3d") counts as one character.
// - Laplace smoothing, plus backoff to a group (the caller passes the 中类): an occupation with one or
//   two examples borrows the vocabulary of its siblings, so a near miss lands in the right 中类.
// - A damped class prior (square root): as accurate as the full prior on the labelled postings, which
//   over-represent office jobs, and it leaves the rarer occupations that rural workers name a chance.
// Scoring is sparse and needs no logarithms (see trainTitleModel): well under a tenth of a millisecond.

export interface TrainingTitle {
  /** Cleaned segments of the title (see titleSegments). */
  segments: readonly string[];
  code: string;
  /** How much the example counts; 1 for a labelled posting. */
  weight: number;
}

export interface TitleModelSettings {
  /** Laplace pseudo-count per feature and class. */
  smoothing: number;
  /** Pseudo-count weight of the 中类's feature distribution in each class's. */
  backoff: number;
  /** Exponent of the class prior (0 ignores it, 1 is plain naive Bayes). */
  priorWeight: number;
  /** The group a code backs off to (its 中类). */
  backoffGroupOf: (code: string) => string;
}

export interface TitleModel {
  /** The codes the model can answer, in the order of logScores. */
  readonly codes: readonly string[];
  /**
   * Log-probability, up to a constant shared by all codes, of each code given the title, and how many
   * known features it rests on; null when the title has no feature the model has seen.
   */
  logScores(segments: readonly string[]): { scores: Float64Array; features: number } | null;
}

const MAX_GRAM = 3;

/** A segment as characters, a Latin or digit run being one. */
function units(segment: string): string[] {
  return segment.match(/[a-z0-9]+|[^a-z0-9]/gu) ?? [];
}

/** Character 1–3-grams of each segment, with "^" and "$" marking its ends. */
function titleFeatures(segments: readonly string[]): string[] {
  const features: string[] = [];
  for (const segment of segments) {
    const marked = ["^", ...units(segment), "$"];
    for (let start = 0; start < marked.length; start++) {
      // A bare boundary says nothing.
      if (start > 0 && start < marked.length - 1) features.push(marked[start]!);
      let gram = marked[start]!;
      for (let end = start + 1; end < Math.min(marked.length, start + MAX_GRAM); end++) {
        gram += marked[end]!;
        features.push(gram);
      }
    }
  }
  return features;
}

/** Sparse rows in compressed form: row r's entries are at [start[r], start[r + 1]). */
interface SparseRows {
  start: Int32Array;
  column: Int32Array;
  value: Float64Array;
}

export function trainTitleModel(titles: readonly TrainingTitle[], settings: TitleModelSettings): TitleModel {
  const { smoothing, backoff, priorWeight, backoffGroupOf } = settings;
  const classOf = new Map<string, number>();
  const codes: string[] = [];
  const groupOf = new Map<string, number>();
  const classGroup: number[] = [];
  for (const { code } of titles) {
    if (classOf.has(code)) continue;
    classOf.set(code, codes.length);
    codes.push(code);
    const group = backoffGroupOf(code);
    if (!groupOf.has(group)) groupOf.set(group, groupOf.size);
    classGroup.push(groupOf.get(group)!);
  }
  const classCount = codes.length;
  const groupCount = groupOf.size;

  const featureIds = new Map<string, number>();
  /** Per feature, the classes of the titles it occurs in and their weights, interleaved. */
  const occurrences: number[][] = [];
  const classWeight = new Float64Array(classCount);
  const classTotal = new Float64Array(classCount);
  const groupTotal = new Float64Array(groupCount);
  for (const { segments, code, weight } of titles) {
    const c = classOf.get(code)!;
    const features = titleFeatures(segments);
    classWeight[c]! += weight;
    classTotal[c]! += features.length * weight;
    groupTotal[classGroup[c]!]! += features.length * weight;
    for (const feature of features) {
      let id = featureIds.get(feature);
      if (id === undefined) {
        featureIds.set(feature, (id = occurrences.length));
        occurrences.push([]);
      }
      occurrences[id]!.push(c, weight);
    }
  }

  // p(feature | class) = (count + smoothing + backoff · p(feature | group)) / (total + smoothing · V + backoff),
  // p(feature | group) = (group count + smoothing) / (group total + smoothing · V).
  // A class's smoothed count of a feature it never saw depends only on its group, so what each feature
  // adds to each class's score is known now, and a query only adds numbers up: per feature, a weight for
  // each class that saw it and one for each group whose classes did not.
  const vocabulary = featureIds.size;
  const groupDenominator = Float64Array.from(groupTotal, (total) => total + smoothing * vocabulary);
  const unseen = (g: number, countInGroup: number) => smoothing + (backoff * (countInGroup + smoothing)) / groupDenominator[g]!;
  const logUnseenNowhere = Float64Array.from(groupDenominator, (_, g) => Math.log(unseen(g, 0)));
  const classRows = { start: new Int32Array(vocabulary + 1), column: [] as number[], value: [] as number[] };
  const groupRows = { start: new Int32Array(vocabulary + 1), column: [] as number[], value: [] as number[] };
  const classCounts = new Float64Array(classCount);
  const groupCounts = new Float64Array(groupCount);
  occurrences.forEach((pairs, feature) => {
    const classes: number[] = [];
    const groups: number[] = [];
    for (let i = 0; i < pairs.length; i += 2) {
      const c = pairs[i]!;
      const g = classGroup[c]!;
      if (classCounts[c] === 0) classes.push(c);
      if (groupCounts[g] === 0) groups.push(g);
      classCounts[c]! += pairs[i + 1]!;
      groupCounts[g]! += pairs[i + 1]!;
    }
    for (const g of groups) {
      groupRows.column.push(g);
      groupRows.value.push(Math.log(unseen(g, groupCounts[g]!)) - logUnseenNowhere[g]!);
    }
    for (const c of classes) {
      const base = unseen(classGroup[c]!, groupCounts[classGroup[c]!]!);
      classRows.column.push(c);
      classRows.value.push(Math.log(classCounts[c]! + base) - Math.log(base));
      classCounts[c] = 0;
    }
    for (const g of groups) groupCounts[g] = 0;
    classRows.start[feature + 1] = classRows.column.length;
    groupRows.start[feature + 1] = groupRows.column.length;
  });
  const compact = (rows: typeof classRows): SparseRows => ({
    start: rows.start,
    column: Int32Array.from(rows.column),
    value: Float64Array.from(rows.value),
  });
  const classWeights = compact(classRows);
  const groupWeights = compact(groupRows);
  const totalWeight = classWeight.reduce((sum, weight) => sum + weight, 0);
  const logPrior = Float64Array.from(classWeight, (weight) => priorWeight * Math.log(weight / totalWeight));
  const logDenominator = Float64Array.from(classTotal, (total) => Math.log(total + smoothing * vocabulary + backoff));

  const addRow = (rows: SparseRows, row: number, scores: Float64Array) => {
    for (let at = rows.start[row]!; at < rows.start[row + 1]!; at++) scores[rows.column[at]!]! += rows.value[at]!;
  };
  return {
    codes,
    logScores(segments) {
      const known: number[] = [];
      for (const feature of titleFeatures(segments)) {
        const id = featureIds.get(feature);
        if (id !== undefined) known.push(id);
      }
      if (known.length === 0) return null;
      const groupScores = new Float64Array(groupCount);
      for (let g = 0; g < groupCount; g++) groupScores[g] = known.length * logUnseenNowhere[g]!;
      for (const id of known) addRow(groupWeights, id, groupScores);
      const scores = new Float64Array(classCount);
      for (let c = 0; c < classCount; c++) {
        scores[c] = logPrior[c]! + groupScores[classGroup[c]!]! - known.length * logDenominator[c]!;
      }
      for (const id of known) addRow(classWeights, id, scores);
      return { scores, features: known.length };
    },
  };
}
