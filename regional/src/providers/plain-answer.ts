import {
  type ChatCompletion,
  type PlainText,
  type PlainTextLiteral,
  plainText,
  plainTextFrom,
} from '@switchback/router-core';
import { createAnswerFold } from './answer-fold.ts';

const LF = 10;
const CR = 13;
const SPACE = 32;
const BACKSLASH = '\\';
const DATA = Buffer.from('data:');
const DONE = Buffer.from('[DONE]');

const startsWith = (bytes: Buffer, at: number, end: number, word: Buffer): boolean =>
  end - at >= word.length && bytes.compare(word, 0, word.length, at, at + word.length) === 0;

/** The text of string literals' insides (`ranges`: start, end, …) of `bytes`, in one piece. */
const textOf = (bytes: Buffer, ranges: number[]): string => {
  let raw: string;
  if (ranges.length === 2) raw = bytes.toString('utf8', ranges[0], ranges[1]);
  else {
    let size = 0;
    for (let i = 0; i < ranges.length; i += 2)
      size += (ranges[i + 1] as number) - (ranges[i] as number);
    const joined = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < ranges.length; i += 2) {
      at += bytes.copy(joined, at, ranges[i] as number, ranges[i + 1] as number);
    }
    raw = joined.toString('utf8');
  }
  // The insides of JSON strings, one after another, are the inside of one: one parse for all.
  return raw.includes(BACKSLASH) ? (JSON.parse(`"${raw}"`) as string) : raw;
};

/**
 * `plainText` of the event in `body[data, end)`; when its bytes up to the text are the last text
 * event's (an upstream repeats id, model and the rest in each), only what follows is scanned.
 */
const scanEvent = (
  body: Buffer,
  data: number,
  end: number,
  /** Where the last text event's JSON starts, and what `plainText` found in it. */
  lastStart: number,
  last: PlainTextLiteral | undefined,
): PlainText => {
  if (last !== undefined) {
    const prefix = last.from - lastStart;
    if (
      end - data > prefix &&
      body.compare(body, lastStart, last.from, data, data + prefix) === 0
    ) {
      return plainTextFrom(body, data + prefix, end, last);
    }
  }
  return plainText(body, data, end);
};

/**
 * A whole answer folded off its bytes when they are in the common form (every event one
 * `data:` line and a blank line, LF line ends): the first event and any that is not just text
 * (the finish, usage, tool calls, an error…) are parsed, the text of the others is read from
 * its literal (router-core's `plainText`) and decoded once per run of them. Undefined when the
 * body is in any other form (comments, multi-line events, CR line ends): it is then read
 * event by event as parsed text, in the same order, so nothing folded here is lost.
 */
export const foldPlainAnswer = (body: Buffer, id: string): ChatCompletion | undefined => {
  if (body.indexOf(CR) !== -1) return undefined;
  const fold = createAnswerFold(id);
  const pending: number[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    fold.text(textOf(body, pending));
    pending.length = 0;
  };
  const length = body.length;
  let lastStart = 0;
  let last: PlainTextLiteral | undefined;
  let at = 0;
  while (at < length) {
    const lf = body.indexOf(LF, at);
    if (lf === at) {
      at++;
      continue;
    }
    const end = lf === -1 ? length : lf;
    // One line an event: the next is blank (or the body ends).
    if (lf !== -1 && lf + 1 < length && body[lf + 1] !== LF) return undefined;
    if (!startsWith(body, at, end, DATA)) return undefined;
    const data = body[at + DATA.length] === SPACE ? at + DATA.length + 1 : at + DATA.length;
    if (end - data === DONE.length && startsWith(body, data, end, DONE)) break;
    const scan = fold.empty ? undefined : scanEvent(body, data, end, lastStart, last);
    if (scan === undefined || scan.kind === 'parse') {
      flush();
      fold.parsed(body.toString('utf8', data, end));
    } else {
      if (scan.kind === 'text') {
        pending.push(scan.from + 1, scan.to - 1);
        lastStart = data;
        last = scan;
      }
      fold.plain();
    }
    at = lf === -1 ? length : lf + 2;
  }
  flush();
  return fold.result();
};
