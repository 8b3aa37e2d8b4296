import {
  CHAR as CHAR_,
  CLASS_OF as CLASS_OF_,
  FIRST_SCRIPT_LETTER as FIRST_SCRIPT_LETTER_,
  LAST_SCRIPT_LETTER as LAST_SCRIPT_LETTER_,
} from './char-classes.ts';
import {
  CUE_TABLE_MASK as CUE_TABLE_MASK_,
  CUE_TABLES as CUE_TABLES_,
  type CueTable,
  HASH_SEED as HASH_SEED_,
  KIND_MASK as KIND_MASK_,
  LANGUAGE_KIND_BASE as LANGUAGE_KIND_BASE_,
  PAIR_FIRST as PAIR_FIRST_,
  pairHash as pairHash_,
} from './cue-table.ts';
import { DigitSpan } from './digit-span.ts';
import {
  HAN_VARIANT as HAN_VARIANT_,
  isUkrainianLetter as isUkrainianLetter_,
  LANGUAGE_WORD_FACTOR as LANGUAGE_WORD_FACTOR_,
  LATIN_LANGUAGES as LATIN_LANGUAGES_,
  LETTER_LANGUAGE as LETTER_LANGUAGE_,
  LETTER_VOTE as LETTER_VOTE_,
} from './languages.ts';
import {
  codeSignal as codeSignal_,
  isMathSymbol as isMathSymbol_,
  mathSignal as mathSignal_,
  SIGNAL_MARKS as SIGNAL_MARKS_,
} from './punctuation-signals.ts';
import {
  emailAt as emailAt_,
  enumeratedStepAt as enumeratedStepAt_,
  spells as spells_,
} from './scan-helpers.ts';
import { TextStats } from './text-stats.ts';
import {
  TOKEN_COSTS as COST_,
  LETTER_COST as LETTER_COST_,
  SCRIPT_VARIANT_COST as SCRIPT_VARIANT_COST_,
} from './token-costs.ts';

// Imports copied to module constants once: under Vite's module runner (vitest, bench) every use
// of an imported binding is a getter call, far too slow for a per-character loop.
const CLASS_OF = CLASS_OF_;
const FIRST_LETTER = FIRST_SCRIPT_LETTER_;
const LAST_LETTER = LAST_SCRIPT_LETTER_;
const { ASCII_LETTER, DIGIT, SPACE, NEWLINE, TAB, ACCENTED, CYRILLIC, HAN, KANA, ASTRAL, SKIP } =
  CHAR_;
const MASK = CUE_TABLE_MASK_;
const HASH_SEED = HASH_SEED_;
const KIND_MASK = KIND_MASK_;
const LANGUAGE_KIND_BASE = LANGUAGE_KIND_BASE_;
const PAIR_FIRST = PAIR_FIRST_;
const pairHash = pairHash_;
const isUkrainianLetter = isUkrainianLetter_;
const LANGUAGE_WORD_FACTOR = LANGUAGE_WORD_FACTOR_;
const LATIN_LANGUAGES = LATIN_LANGUAGES_;
const LETTER_VOTE = LETTER_VOTE_;
const codeSignal = codeSignal_;
const mathSignal = mathSignal_;
const isMathSymbol = isMathSymbol_;
const SIGNAL_MARKS = SIGNAL_MARKS_;
const emailAt = emailAt_;
const enumeratedStepAt = enumeratedStepAt_;
const spells = spells_;
const COST = COST_;
const LETTER_COST = LETTER_COST_;
const SCRIPT_VARIANT_COST = SCRIPT_VARIANT_COST_;

const single = CUE_TABLES_.single;
const pair = CUE_TABLES_.pair;
const SINGLE_HASHES = single.hashes;
const SINGLE_KINDS = single.kinds;
const PAIR_HASHES = pair.hashes;
const PAIR_KINDS = pair.kinds;

const WORD_COST = COST.word;
const WORD_TABLE_MAX = WORD_COST.length - 1;
const LAST_WORD_COST = WORD_COST[WORD_TABLE_MAX] ?? 3;
const MAX_CUE_LENGTH = 20;

const CUE_FIELDS = ['reasoning', 'code', 'math', 'multiStep', 'simpleTask'] as const;

/** The index in LATIN_LANGUAGES of an accented letter that points to one language, else -1. */
const LETTER_LANGUAGE_INDEX = new Int8Array(0x250).fill(-1);
for (const [c, language] of LETTER_LANGUAGE_) {
  if (c >= LETTER_LANGUAGE_INDEX.length) throw new Error(`U+${c.toString(16)} is past the table`);
  LETTER_LANGUAGE_INDEX[c] = LATIN_LANGUAGES.indexOf(language);
}
/** HAN_VARIANT over the CJK Unified Ideographs and Extension A, where all its characters are. */
const HAN_TABLE_START = 0x3400;
const HAN_TABLE_END = 0xa000;
const HAN_VARIANT_OF = new Uint8Array(HAN_TABLE_END - HAN_TABLE_START);
for (const [c, variant] of HAN_VARIANT_) {
  if (c < HAN_TABLE_START || c >= HAN_TABLE_END) {
    throw new Error(`U+${c.toString(16)} is past the table`);
  }
  HAN_VARIANT_OF[c - HAN_TABLE_START] = variant;
}
const VI = LATIN_LANGUAGES.indexOf('vi');
/** `LANGUAGE_WORD_FACTOR` by the language's index in `LATIN_LANGUAGES`. */
const WORD_FACTOR = Float64Array.from(
  LATIN_LANGUAGES,
  (language) => LANGUAGE_WORD_FACTOR[language],
);

/** Tokens of a run of ASCII letters in one pre-token. */
const asciiCost = (ascii: number): number =>
  ascii === 0
    ? 0
    : ascii <= WORD_TABLE_MAX
      ? (WORD_COST[ascii] ?? 1)
      : LAST_WORD_COST + (ascii - WORD_TABLE_MAX) * COST.longWordPerLetter;

/** The slot of `hash` in a cue table's arrays, or -1. */
const probe = (hashes: Int32Array, kinds: Uint8Array, hash: number): number => {
  let slot = hash & MASK;
  for (;;) {
    if (kinds[slot] === 0) return -1;
    if (hashes[slot] === hash) return slot;
    slot = (slot + 1) & MASK;
  }
};

/**
 * The per-text state that is not needed per character: what the rare paths (cue hits, other
 * scripts, digit spans) update. The hot state lives in locals of `scan`.
 */
class Scanner {
  private text = '';
  private stats: TextStats = new TextStats();
  private weight = 1;
  private readonly span = new DigitSpan();
  private readonly votes = new Float64Array(LATIN_LANGUAGES.length);
  private pii = 0;
  private asciiWordTokens = 0;
  private otherLetters = 0;
  private accentedTokens = 0;
  private cyrillic = 0;
  private ukrainian = 0;
  private han = 0;
  private simplified = 0;
  private traditional = 0;
  private kana = 0;

  /** See `scanText`. */
  scan(text: string, stats: TextStats, weight: number, start: number, end: number): void {
    this.begin(text, stats, weight);
    this.range(start, end);
    this.finish(1);
  }

  /** See `scanWindows`. */
  scanWindows(
    text: string,
    stats: TextStats,
    weight: number,
    from: Int32Array,
    to: Int32Array,
    first: number,
    end: number,
    voteScale: number,
  ): void {
    this.begin(text, stats, weight);
    for (let k = first; k < end; k++) this.range(from[k] ?? 0, to[k] ?? 0);
    this.finish(voteScale);
  }

  /** Forgets the previous text: one text's votes and script counts decide its corrections. */
  private begin(text: string, stats: TextStats, weight: number): void {
    this.text = text;
    this.stats = stats;
    this.weight = weight;
    const votes = this.votes;
    for (let k = 0; k < votes.length; k++) votes[k] = 0; // a builtin call costs more for a dozen
    this.pii = 0;
    this.asciiWordTokens = 0;
    this.otherLetters = 0;
    this.accentedTokens = 0;
    this.cyrillic = 0;
    this.ukrainian = 0;
    this.han = 0;
    this.simplified = 0;
    this.traditional = 0;
    this.kana = 0;
  }

  /**
   * Reads `text[start, end)` as if it were the whole text: nothing pending comes in at `start` or
   * goes out at `end`. Only the look-arounds of a rare mark (an operator's operands, the digits of
   * "2. ", an email's domain) may see a few characters past the edges, as in the whole text.
   */
  private range(start: number, end: number): void {
    const text = this.text;
    const stats = this.stats;
    const weight = this.weight;
    const span = this.span;
    if (span.open) span.end(); // only after a scan that threw: every range closes its span
    const n = Math.min(end, text.length);
    let tokens = 0;
    let words = 0;
    let latin = 0;
    let code = 0;
    let math = 0;
    let multiStep = 0;
    let asciiWordTokens = 0;
    // Pending before the next pre-token: spaces, a punctuation run, digits.
    let spaces = 0;
    let punct = 0;
    let punctCost = 0;
    let punctAfterSpace = false;
    let punctAscii = true;
    let digits = 0;
    let inNewlines = false;
    let atLineStart = true;
    // The word before, for two-word cues, while only spaces, hyphens, slashes or ";" separate them.
    let previousHash = 0;
    let previousStart = -1;
    let previousEnd = -1;
    let previousPairFirst = false;
    let pairOpen = false;

    let i = start;
    while (i < n) {
      const c = text.charCodeAt(i);
      const cls = CLASS_OF[c] ?? 0;

      if (cls === ASCII_LETTER || (cls >= FIRST_LETTER && cls <= LAST_LETTER)) {
        // What was pending is costed, or glued to the word (".com", "(x": one mark, no space).
        if (digits > 0) {
          tokens += Math.ceil(digits / 3) * COST.digitGroup;
          digits = 0;
        }
        if (span.open) this.pii += span.end();
        let glued = 0;
        if (punct > 0) {
          if (punct === 1 && !punctAfterSpace) glued = punctAscii ? COST.gluedPunct : COST.symbol;
          else tokens += punctCost;
          punct = 0;
          punctCost = 0;
        } else if (spaces > 1) tokens += COST.spaceRun;
        spaces = 0;
        inNewlines = false;
        atLineStart = false;

        // The whole letter run (a word), split into pre-tokens at lower→upper case changes.
        const start = i;
        let hash = HASH_SEED;
        let asciiOnly = true;
        let segmentAscii = 0;
        let segmentOthers = 0;
        let lastLower = false;
        let camel = false;
        let j = i;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (d < 128) {
            const lower = d >= 97 && d <= 122;
            if (!lower && (d < 65 || d > 90)) break;
            if (!lower && lastLower) {
              const ascii = asciiCost(segmentAscii);
              asciiWordTokens += ascii;
              tokens += Math.max(1, ascii + segmentOthers) + glued;
              glued = 0;
              segmentAscii = 0;
              segmentOthers = 0;
              camel = true;
            }
            lastLower = lower;
            segmentAscii++;
            hash = Math.imul(hash ^ (d | 32), 16777619); // hashStep, inlined
          } else {
            const k = CLASS_OF[d] ?? 0;
            if (k < FIRST_LETTER || k > LAST_LETTER) break;
            segmentOthers += LETTER_COST[k] ?? 0;
            asciiOnly = false;
            lastLower = true;
            this.scriptLetter(d, k);
          }
        }
        const ascii = asciiCost(segmentAscii);
        asciiWordTokens += ascii;
        tokens += Math.max(1, ascii + segmentOthers) + glued;
        words++;
        if (camel) code += 0.1;
        if (asciiOnly) latin += j - start;
        if (asciiOnly && j - start <= MAX_CUE_LENGTH) {
          const slot = probe(SINGLE_HASHES, SINGLE_KINDS, hash);
          const kind = slot < 0 ? 0 : (SINGLE_KINDS[slot] ?? 0);
          const cueKind = kind & KIND_MASK;
          if (cueKind >= LANGUAGE_KIND_BASE) {
            // Function words are frequent and only vote: a 32-bit hash match is proof enough.
            const language = cueKind - LANGUAGE_KIND_BASE;
            this.votes[language] = (this.votes[language] ?? 0) + 1;
          } else if (cueKind !== 0) this.cueHit(single, slot, start, j, -1, -1);
          if (pairOpen && previousPairFirst) {
            const pairSlot = probe(PAIR_HASHES, PAIR_KINDS, pairHash(previousHash, hash));
            if (pairSlot >= 0) this.cueHit(pair, pairSlot, start, j, previousStart, previousEnd);
          }
          previousHash = hash;
          previousStart = start;
          previousEnd = j;
          previousPairFirst = (kind & PAIR_FIRST) !== 0;
          pairOpen = true;
        } else pairOpen = false;
        // One space before the next word, the commonest case, without a turn of the main loop.
        if (j < n && text.charCodeAt(j) === 32) {
          spaces = 1;
          j++;
        }
        i = j;
        continue;
      }

      if (cls === DIGIT) {
        if (punct > 0) {
          tokens += punctCost;
          punct = 0;
          punctCost = 0;
        }
        // " 42" is two tokens: a space does not join a number.
        if (spaces > 0) tokens += spaces > 1 ? 2 * COST.spaceRun : COST.spaceRun;
        spaces = 0;
        inNewlines = false;
        if (digits === 0 && atLineStart && enumeratedStepAt(text, i)) multiStep += 0.35;
        span.digit(c - 48, digits === 0);
        atLineStart = false;
        digits++;
        pairOpen = false;
        i++;
        continue;
      }

      if (digits > 0) {
        tokens += Math.ceil(digits / 3) * COST.digitGroup;
        digits = 0;
      }
      // The character after is read only where it matters (spaces, the commonest, rarely need it).
      if (span.open) {
        // One space or dash between digit groups keeps the span going; ") " too: "(415) 555".
        const after = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (!span.separator(c, after >= 48 && after <= 57) && !(c === 41 && after === 32)) {
          this.pii += span.end();
        }
      } else if (c === 43 && i + 1 < n) {
        const after = text.charCodeAt(i + 1);
        if (after >= 48 && after <= 57) span.markPlus();
      }

      if (cls === SPACE) {
        if (punct > 0) {
          tokens += punctCost;
          punct = 0;
          punctCost = 0;
        }
        spaces++;
        i++;
        continue;
      }

      if (cls === NEWLINE) {
        // Marks swallow the newlines right after them ("{\n" is one token); else a run costs one.
        if (punct > 0) {
          tokens += punctCost;
          punct = 0;
          punctCost = 0;
          inNewlines = true;
        } else if (!inNewlines) {
          tokens += COST.newlineRun;
          inNewlines = true;
        }
        spaces = 0;
        atLineStart = true;
        pairOpen = false;
        i++;
        continue;
      }

      if (cls === TAB) {
        if (punct > 0) {
          tokens += punctCost;
          punct = 0;
          punctCost = 0;
        }
        tokens += COST.tab;
        spaces = 0;
        i++;
        continue;
      }

      if (cls === SKIP) {
        i++;
        continue;
      }

      // Punctuation and symbols: one run is one pre-token (with one leading space).
      const isAscii = c < 128;
      const cost = isAscii ? COST.punctNext : cls === ASTRAL ? COST.astral : COST.symbol;
      if (punct === 0) {
        punctAfterSpace = spaces > 0;
        if (spaces > 1) {
          tokens += COST.spaceRun;
          if (atLineStart) code += 0.1; // indented line
        }
        spaces = 0;
        punctAscii = isAscii;
        punctCost = isAscii ? COST.punctFirst : cost;
      } else {
        punctCost += cost;
        if (!isAscii) punctAscii = false;
      }
      punct++;
      inNewlines = false;
      const lineStart = atLineStart;
      atLineStart = false;
      // Hyphens, slashes and semicolons may sit inside a two-word cue ("trade-offs", "tl;dr").
      if (c !== 45 && c !== 47 && c !== 59) pairOpen = false;
      if (!isAscii) {
        if (isMathSymbol(c)) math += 0.5;
      } else if (SIGNAL_MARKS[c] === 1) {
        // Only these marks say anything; ",", "." and quotes, the commonest, skip the look-around.
        const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (lineStart && (c === 45 || c === 42) && next === 32) multiStep += 0.1; // "- item"
        const before = i > start ? text.charCodeAt(i - 1) : 0;
        code += codeSignal(text, i, c, before, next);
        math += mathSignal(text, i, c, before, next);
        if (c === 64 && emailAt(text, i)) this.pii++;
      }
      i++;
    }

    if (digits > 0) tokens += Math.ceil(digits / 3) * COST.digitGroup;
    if (punct > 0) tokens += punctCost;
    if (spaces > 0) tokens += COST.spaceRun;
    if (span.open) this.pii += span.end();

    this.asciiWordTokens += asciiWordTokens;
    stats.tokens += tokens;
    stats.words += words;
    stats.latinLetters += latin;
    stats.code += code * weight;
    stats.math += math * weight;
    stats.multiStep += multiStep * weight;
  }

  /** Once every range is read: the per-text corrections, other letters and PII. */
  private finish(voteScale: number): void {
    const stats = this.stats;
    stats.tokens += this.corrections(this.asciiWordTokens, voteScale);
    stats.otherLetters += this.otherLetters;
    stats.pii += this.pii;
  }

  /**
   * Per-text corrections once the whole text is read: a Latin-script language other than English
   * splits words more; Ukrainian more than Russian; traditional Chinese more than simplified.
   * `voteScale` (the text's length over the characters read) makes a sample's votes decide as the
   * whole text's would.
   */
  private corrections(asciiWordTokens: number, voteScale: number): number {
    const votes = this.votes;
    let extra = 0;
    let best = 0;
    for (let k = 1; k < votes.length; k++) if ((votes[k] ?? 0) > (votes[best] ?? 0)) best = k;
    const winner = votes[best] ?? 0;
    if (winner * voteScale >= 3 && winner > 2 * (votes[0] ?? 0)) {
      extra += (asciiWordTokens + this.accentedTokens) * ((WORD_FACTOR[best] ?? 1) - 1);
      this.stats.foreignWords += winner;
    }
    this.stats.englishWords += votes[0] ?? 0;
    if (this.ukrainian * 50 > this.cyrillic) extra += this.cyrillic * SCRIPT_VARIANT_COST.ukrainian;
    if (this.kana === 0 && this.simplified !== this.traditional) {
      extra +=
        this.han *
        (this.simplified > this.traditional
          ? SCRIPT_VARIANT_COST.simplified
          : SCRIPT_VARIANT_COST.traditional);
    }
    return extra;
  }

  /** A letter beyond ASCII: its script's counters, and language votes for telling letters. */
  private scriptLetter(c: number, cls: number): void {
    if (cls === ACCENTED) {
      this.accentedTokens += LETTER_COST[cls] ?? 0;
      // Vietnamese tone marks (Latin Extended Additional) and letters unique to a language.
      const language =
        c >= 0x1ea0 && c <= 0x1ef9 ? VI : c < 0x250 ? (LETTER_LANGUAGE_INDEX[c] ?? -1) : -1;
      if (language >= 0) this.votes[language] = (this.votes[language] ?? 0) + LETTER_VOTE;
      return;
    }
    this.otherLetters++;
    if (cls === CYRILLIC) {
      this.cyrillic++;
      if (isUkrainianLetter(c)) this.ukrainian++;
    } else if (cls === HAN) {
      this.han++;
      const variant =
        c >= HAN_TABLE_START && c < HAN_TABLE_END ? HAN_VARIANT_OF[c - HAN_TABLE_START] : 0;
      if (variant === 1) this.simplified++;
      else if (variant === 2) this.traditional++;
    } else if (cls === KANA) this.kana++;
  }

  /** A word whose hash is in a cue table: checked letter by letter, then counted. */
  private cueHit(
    table: CueTable,
    slot: number,
    start: number,
    end: number,
    previousStart: number,
    previousEnd: number,
  ): void {
    const cue = table.words[slot] ?? '';
    const space = cue.indexOf(' ');
    const text = this.text;
    const ok =
      space < 0
        ? spells(text, start, end, cue)
        : spells(text, previousStart, previousEnd, cue.slice(0, space)) &&
          spells(text, start, end, cue.slice(space + 1));
    if (!ok) return;
    const kind = (table.kinds[slot] ?? 0) & KIND_MASK;
    if (kind >= LANGUAGE_KIND_BASE) {
      const language = kind - LANGUAGE_KIND_BASE;
      this.votes[language] = (this.votes[language] ?? 0) + 1;
      return;
    }
    const field = CUE_FIELDS[kind - 1];
    if (field !== undefined) this.stats[field] += (table.strengths[slot] ?? 0) * this.weight;
  }
}

const scanner = new Scanner();

/**
 * One pass over `text` (or `text[start, end)`, read as if it were the whole text): estimated
 * tokens, script counts, cue strengths (times `weight`) and PII-looking spans, added into `stats`.
 * Linear in the text, no regex; a word is read in one tight loop. The token estimate follows
 * o200k's pre-tokenizer (letter runs with one leading space or mark, digit triples, punctuation
 * runs that swallow the newlines after them, newline runs). Synchronous and not re-entrant, so
 * one scanner serves every call. A range, not a slice: a sliced string makes V8's reads slower.
 */
export const scanText = (
  text: string,
  stats: TextStats,
  weight: number,
  start = 0,
  end = text.length,
): void => scanner.scan(text, stats, weight, start, end);

/**
 * Like `scanText` over windows of one text, `[from[k], to[k])` for `first` <= k < `end`: each
 * window read as a range, the per-text corrections decided once over all of them with the
 * language votes times `voteScale`.
 */
export const scanWindows = (
  text: string,
  stats: TextStats,
  weight: number,
  from: Int32Array,
  to: Int32Array,
  first: number,
  end: number,
  voteScale: number,
): void => scanner.scanWindows(text, stats, weight, from, to, first, end, voteScale);
