import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import * as fr from "@zxcvbn-ts/language-fr";

/** zxcvbn's score: 0 (guessed at once) to 4 (over 10^10 guesses); 3 means over 10^8. */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  score: StrengthScore;
  /** Why it is weak and what would help, in English (the estimator's own words), for the refusal's detail. */
  warning: string | null;
  suggestions: string[];
}

/**
 * Only this many leading characters are estimated: the dictionary matchers cost about the square of the length times
 * the l33t variants tried: three 128-character l33t-laden passwords took 4.9 s of CPU with the defaults (256 and 100),
 * 0.35 s with these. A password whose first 64 characters are strong is strong; one whose first 64 are weak is refused even if longer.
 */
const ESTIMATED_LENGTH = 64;
/** l33t spellings tried per password (default 100): 10 catches the same `P@ssw0rd`-style passwords at a tenth of the cost. */
const L33T_VARIANTS = 10;

let estimator: ZxcvbnFactory | undefined;

/**
 * The estimator with its dictionaries (common passwords, English and French words and names, keyboard layouts),
 * built once per process: ~0.35 s of CPU and ~35 MB more RSS in the server, so `main.ts` builds it before listening
 * (`loadPasswordEstimator`) rather than on the first password someone sets.
 */
export function loadPasswordEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, ...fr.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    maxLength: ESTIMATED_LENGTH,
    l33tMaxSubstitutions: L33T_VARIANTS,
  });
  return estimator;
}

/** How guessable `password` is, knowing the person's own names and addresses (`userInputs`) as an attacker would. */
export function strengthOf(password: string, userInputs: string[]): Strength {
  const result = loadPasswordEstimator().check(password, userInputs);
  return {
    score: result.score as StrengthScore,
    warning: result.feedback.warning,
    suggestions: result.feedback.suggestions,
  };
}
