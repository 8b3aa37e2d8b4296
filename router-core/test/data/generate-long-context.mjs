// Builds the long-context entries of labelled-prompts.jsonl from varied paragraph templates and
// rewrites the file in place (the hand-written entries are kept as they are):
//   node router-core/test/data/generate-long-context.mjs
// Deterministic: a seeded generator, so the file only changes when this script does.
import { readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('./labelled-prompts.jsonl', import.meta.url);
const MARK = 'generate-long-context';

// mulberry32: small, seedable, good enough to vary names and numbers.
let seed = 0x5eed1234;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const money = () => `$${int(1, 950)},${String(int(0, 999)).padStart(3, '0')}`;
const pct = () => `${int(1, 40)}.${int(0, 9)}%`;

const PEOPLE = ['Amara Okafor', 'Ben Hartley', 'Chen Wei', 'Dana Kowalski', 'Elif Demir', 'Farid Haddad', 'Grace Liu', 'Hugo Martin', 'Ines Duarte', 'Jonas Berg', 'Keiko Tanaka', 'Liam O\'Brien', 'Maya Patel', 'Nikolai Petrov', 'Olivia Smith', 'Pedro Alvarez', 'Rosa Bianchi', 'Samir Khan', 'Tara Nguyen', 'Uma Reddy'];
const TEAMS = ['Payments', 'Search', 'Onboarding', 'Data Platform', 'Mobile', 'Billing', 'Logistics', 'Identity', 'Growth', 'Infrastructure'];
const PRODUCTS = ['Atlas', 'Beacon', 'Cobalt', 'Drift', 'Ember', 'Falcon', 'Granite', 'Harbor'];
const CITIES = ['Lisbon', 'Nairobi', 'Osaka', 'Toronto', 'Kraków', 'Bogotá', 'Melbourne', 'Dublin', 'Hamburg', 'Singapore'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const date = () => `${int(1, 28)} ${pick(MONTHS)} 202${int(3, 5)}`;

const PARAGRAPHS = [
  () => `Meeting minutes, ${pick(TEAMS)} weekly sync (${date()}). Present: ${pick(PEOPLE)}, ${pick(PEOPLE)}, ${pick(PEOPLE)}. The group reviewed the status of the ${pick(PRODUCTS)} rollout. ${pick(PEOPLE)} reported that ${int(2, 9)} of the ${int(10, 14)} planned milestones are complete and that the remaining work depends on the vendor delivering the revised API by ${date()}. A concern was raised about test coverage in the reconciliation module, which currently sits at ${pct()}. Action items: ${pick(PEOPLE)} will draft the migration checklist; ${pick(PEOPLE)} will follow up with legal about the data processing agreement.`,
  () => `Incident report INC-${int(1000, 9999)}. On ${date()} between ${int(0, 23)}:${String(int(0, 59)).padStart(2, '0')} and ${int(0, 23)}:${String(int(0, 59)).padStart(2, '0')} UTC, customers in ${pick(CITIES)} experienced elevated error rates on checkout (peak ${pct()} of requests). The trigger was a configuration change to the connection pool of the ${pick(TEAMS).toLowerCase()} service that reduced the maximum connections from ${int(50, 200)} to ${int(5, 40)}. Detection took ${int(3, 40)} minutes because the alert threshold was set on a five-minute average. Mitigation: the change was rolled back. Follow-ups include per-minute alerting and a canary stage for configuration changes.`,
  () => `Clause ${int(2, 19)}.${int(1, 9)} (Limitation of Liability). Except for breaches of confidentiality or indemnification obligations, neither party's aggregate liability arising out of or related to this Agreement shall exceed the fees paid or payable by Customer in the ${pick(['six', 'twelve', 'twenty-four'])} months preceding the event giving rise to the claim. In no event shall either party be liable for indirect, incidental, special or consequential damages, including lost profits, even if advised of the possibility of such damages. This clause survives termination of the Agreement for a period of ${int(1, 5)} years.`,
  () => `Quarterly financial summary for the ${pick(CITIES)} region. Revenue reached ${money()} thousand, an increase of ${pct()} over the previous quarter, while operating expenses grew to ${money()} thousand. Gross margin ${pick(['improved', 'declined', 'held steady'])} at ${int(30, 70)}%. The largest contributor was the enterprise segment, which signed ${int(3, 25)} new contracts, including a multi-year agreement with a logistics firm. Management notes that currency movements reduced reported revenue by roughly ${pct()} and that hiring in the sales organisation was slower than planned.`,
  () => `Customer interview notes (${pick(PEOPLE)}, operations lead at a ${pick(['hospital network', 'retail chain', 'freight company', 'university', 'bank'])}). They currently use spreadsheets to track ${pick(['inventory', 'shift schedules', 'maintenance requests', 'vendor contracts'])} and spend about ${int(3, 20)} hours a week reconciling them. Their biggest frustration is that approvals get lost in email. They would pay for a tool that integrates with their existing single sign-on and exports to their accounting system. Price sensitivity: they mentioned a budget of around ${money()} per year and a procurement cycle of ${int(2, 9)} months.`,
  () => `Research note. We evaluated ${int(3, 9)} retrieval strategies on a benchmark of ${int(500, 5000)} questions drawn from internal documentation. Hybrid search combining BM25 with dense embeddings achieved a recall@10 of ${int(60, 95)}%, compared with ${int(40, 80)}% for dense retrieval alone. Re-ranking with a cross-encoder improved answer accuracy by ${int(2, 15)} points but added ${int(40, 400)} milliseconds of latency at the 95th percentile. We recommend enabling re-ranking only for queries where the top two scores are within a small margin.`,
  () => `Changelog ${int(1, 9)}.${int(0, 30)}.${int(0, 12)}: Added support for ${pick(['bulk exports', 'webhook retries', 'SAML single sign-on', 'custom fields', 'audit logs'])}. Fixed a bug where ${pick(['timezone offsets', 'pagination cursors', 'currency rounding', 'file uploads over 2 GB'])} were handled incorrectly. Improved performance of the ${pick(['search', 'dashboard', 'reporting', 'sync'])} endpoint by ${int(10, 80)}%. Deprecated the legacy v${int(1, 3)} API, which will be removed on ${date()}. Breaking change: the \`status\` field now returns lowercase values.`,
  () => `Support transcript. Customer: Hi, I was charged twice for my ${pick(PRODUCTS)} subscription this month, ${money()} each time. Agent (${pick(PEOPLE)}): I'm sorry about that. I can see two charges on ${date()}. The second one came from a retry after the first payment timed out on our side. I've issued a refund for the duplicate; it should appear within ${int(3, 10)} business days. Customer: Thanks. Will this happen again? Agent: We've fixed the retry logic in the latest release, so it shouldn't.`,
  () => `Product specification, section ${int(1, 12)}: Notifications. Users can subscribe to events on projects they follow. Each notification has a channel (email, push or in-app), a priority and a digest policy. High-priority notifications are delivered immediately; others are batched every ${int(5, 60)} minutes. Users in ${pick(CITIES)} and other regions with quiet-hours regulations must not receive push notifications between 22:00 and 07:00 local time. The system must handle at least ${int(1, 20)} thousand notifications per second at peak with delivery latency under ${int(1, 10)} seconds.`,
  () => `Field report from the ${pick(CITIES)} warehouse (${date()}). Throughput averaged ${int(800, 4000)} parcels per hour, ${pick(['above', 'below'])} the target of ${int(1000, 3500)}. The new sorting line reduced mis-sorts from ${pct()} to ${pct()}, but two conveyor motors failed during the night shift, causing a ${int(20, 180)}-minute stoppage. Staff turnover remains high at ${pct()} per quarter. ${pick(PEOPLE)} recommends cross-training pickers on the packing stations to absorb peaks.`,
  () => `Architecture decision record ${int(10, 99)}: we will store session state in ${pick(['Redis', 'a Durable Object per session', 'PostgreSQL', 'DynamoDB'])}. Context: the current in-memory store loses sessions on every deploy, and sticky load balancing makes scaling uneven. Options considered were a shared cache, a database table with TTL cleanup, and client-side tokens. Consequences: session reads add about ${int(1, 9)} milliseconds of latency; we need a migration path for the ${int(1, 30)} million existing sessions; and the operations team must monitor memory usage.`,
  () => `Excerpt from the employee handbook. Employees accrue ${int(15, 30)} days of paid leave per year, prorated for part-time contracts. Up to ${int(3, 10)} unused days may be carried over into the first quarter of the following year. Requests longer than ${int(5, 15)} consecutive days should be submitted at least ${int(2, 8)} weeks in advance. Parental leave policies differ by country; employees in ${pick(CITIES)} should consult the local addendum. Remote work from another country is limited to ${int(10, 60)} days per year for tax reasons.`,
  () => `Survey results (${int(200, 5000)} respondents). ${int(40, 90)}% of users said the mobile app is easy to use, up from ${int(30, 80)}% last year. The most requested features were offline mode (${pct()}), shared lists (${pct()}) and dark mode (${pct()}). Satisfaction was lowest among users who signed up through partner promotions. Open-ended comments frequently mentioned slow synchronisation on older Android devices and confusion about the pricing page.`,
  () => `Code review comments on pull request #${int(100, 9999)} by ${pick(PEOPLE)}: the new retry helper retries on every error, including validation errors that will never succeed; please restrict it to network errors and 5xx responses. The backoff has no jitter, so clients will retry in lockstep after an outage. The tests mock the clock but never advance it past the second retry. Otherwise the refactor of the ${pick(TEAMS).toLowerCase()} client is a clear improvement and the new error types make the call sites much easier to read.`,
  () => `History note. The ${pick(CITIES)} office opened in ${int(1998, 2021)} with ${int(3, 20)} employees focused on ${pick(['customer support', 'hardware design', 'sales', 'research'])}. It grew quickly after the acquisition of a local startup, reaching ${int(80, 600)} people within five years. In ${int(2015, 2023)} the office moved to a renovated textile factory near the river, a building that now hosts community events on weekends and a small museum about the district's industrial past.`,
  () => `Risk register entry R-${int(10, 99)}: dependency on a single payment processor in the ${pick(CITIES)} market. Likelihood: ${pick(['low', 'medium', 'high'])}. Impact: ${pick(['medium', 'high', 'critical'])}, since an outage would block all new orders there. Current controls: status monitoring and a manual switch to bank transfers. Proposed mitigation: integrate a second processor by ${date()} at an estimated cost of ${money()}, and run a failover drill every quarter. Owner: ${pick(PEOPLE)}.`,
];

const document = (targetTokens) => {
  const parts = [];
  let chars = 0;
  // ~4 characters per token for this kind of English prose.
  while (chars < targetTokens * 4.1) {
    const paragraph = pick(PARAGRAPHS)();
    parts.push(paragraph);
    chars += paragraph.length + 2;
  }
  return parts.join('\n\n');
};

const HARD_QUESTIONS = [
  'Based on all the documents above, identify every place where the figures or dates contradict each other, explain which source is more likely to be right in each case, and list what we should verify first.',
  'Using the material above, build a risk assessment for the next quarter: group the issues by theme, estimate their likelihood and impact, and propose a prioritised mitigation plan with owners.',
  'Compare the incidents described above, find the recurring root causes across teams, and recommend three structural changes that would have prevented most of them. Justify each recommendation with evidence from the text.',
  'Read everything above and write an executive briefing: the five most important findings, how they relate to each other, what decisions leadership must take, and what you would do in the first 30 days.',
  'Trace how customer complaints, incidents and financial results above relate to each other over time, and analyse whether the operational problems explain the changes in revenue. Show your reasoning.',
  'From the documents above, reconstruct a timeline of events, flag gaps where information is missing, and explain the most plausible sequence of cause and effect.',
];

const EASY_SUMMARIES = [
  'Summarise the notes above in five bullet points.',
  'Give me a short summary of this document.',
  'TL;DR of the text above, please, in three sentences.',
  'Summarise the main points above for a newsletter, briefly.',
];

const entry = (label, category, messages) => ({
  label,
  category,
  request: { model: 'auto', messages, metadata: { source: MARK } },
});

const generated = [];
// Longer than the long-context threshold (32k tokens): the document and the question in one turn.
for (let i = 0; i < 8; i++) {
  const doc = document(int(33_500, 37_000));
  generated.push(
    entry('hard', 'long context', [{ role: 'user', content: `${doc}\n\n${pick(HARD_QUESTIONS)}` }]),
  );
}
// Medium-long documents shared in an earlier turn, with an analytical question after them.
for (let i = 0; i < 6; i++) {
  const doc = document(int(9_000, 20_000));
  generated.push(
    entry('hard', 'long context', [
      { role: 'system', content: 'You answer questions about the documents the user shares.' },
      { role: 'user', content: `Here are the documents for today:\n\n${doc}` },
      { role: 'assistant', content: 'Thanks, I have read them. What would you like to know?' },
      { role: 'user', content: pick(HARD_QUESTIONS) },
    ]),
  );
}
// Medium documents to summarise: longer than a chat message, still an easy task.
for (let i = 0; i < 4; i++) {
  const doc = document(int(2_000, 4_500));
  generated.push(
    entry('easy', 'summarisation', [{ role: 'user', content: `${doc}\n\n${pick(EASY_SUMMARIES)}` }]),
  );
}

const handWritten = readFileSync(FILE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.includes(`"source":"${MARK}"`));
const lines = [...handWritten, ...generated.map((e) => JSON.stringify(e))];
writeFileSync(FILE, `${lines.join('\n')}\n`);
console.log(`${FILE.pathname}: ${handWritten.length} hand-written + ${generated.length} generated entries`);
