/**
 * A page of a long business report: eight sentences that do not repeat one another, so a
 * document of these pages reads, in the windows the classifier reads of a long ask (its head
 * and tail), as prose rather than as a text that repeats itself (which the learned model weighs
 * as a puzzle's shape, see `ask-shape.ts`). About 600 characters.
 */
export const REPORT_PAGE = `${[
  'The quarterly report lists revenue, costs and staffing for each region.',
  'Northern offices opened two new branches and closed an older warehouse.',
  'Marketing spent less than planned because a trade fair was cancelled in spring.',
  'Customer complaints fell after the support team moved to longer opening hours.',
  'The board approved a modest budget for replacing ageing delivery vans.',
  'Hiring slowed in the second half while training hours for new staff went up.',
  'Energy prices weighed on the southern plants, which run night shifts all year.',
  'Online orders grew faster than shop sales, led by the new mobile application.',
].join(' ')} `;
