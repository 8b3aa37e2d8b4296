// The public corpora the learned classifier is trained and judged on: where each lives (a
// repository snapshot at a pinned commit), its licence, its label and how a row becomes a prompt.
// `collect.ts` reads them with `git show`; nothing here is committed to this repo but the weights.

export const LABELS = ['hard', 'easy'] as const;
export type Label = (typeof LABELS)[number];

/**
 * train: the shipped model learns from it; holdout: never seen in training or tuning, the sources
 * #20's targets are read on; probe: never trained on either, judged apart (candidates of earlier
 * stops, kept as a second check; their snapshots are optional, see SOURCES.md).
 */
export type Role = 'train' | 'holdout' | 'probe';

export type Row = { text: string; category: string };

export type Source = {
  id: string;
  label: Label;
  role: Role;
  repo: string;
  commit: string;
  licence: string;
  /** How the label was set: what a small model is likely to get wrong, not length. */
  why: string;
  /** Reads the rows out of the snapshot; `show(path)` is the file's text at the commit. */
  read: (show: (path: string) => string, list: (dir: string) => string[]) => Row[];
};

const jsonl = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** An instruction and its input, when it has one, as one prompt. */
const withInput = (instruction: string, input: string, between: string): string =>
  input === '' ? instruction : `${instruction}${between}${input}`;

/** A multiple-choice question as a prompt: the question, then a line "A. choice" per choice. */
const withChoices = (question: string, choices: readonly [unknown, unknown][]): string =>
  `${question}\n${choices.map(([label, text]) => `${str(label)}. ${str(text)}`).join('\n')}`;

/**
 * 40 prompts of each P3 template (`data_per_template`, one file a template) of one of `datasets`,
 * the dataset as its category; `skip` leaves out templates by name.
 */
const p3Templates = (
  show: (path: string) => string,
  list: (dir: string) => string[],
  datasets: readonly string[],
  skip?: RegExp,
): Row[] =>
  list('data/finetuning/t0_train_50k/data_per_template').flatMap((path) => {
    const name = path.split('/').pop() ?? '';
    const dataset = datasets.find((d) => name.startsWith(`${d}_`));
    if (dataset === undefined || skip?.test(name)) return [];
    return jsonl(show(path))
      .slice(0, 40)
      .map((r) => ({ text: str((r as Json).prompt).trim(), category: dataset }));
  });

/** A row in CommonsenseQA's layout (`question.stem`, `question.choices[].label/text`) as a prompt. */
const stemAndChoices = (row: unknown): string => {
  const q = (row as Json).question as Json;
  const choices = Array.isArray(q.choices) ? (q.choices as Json[]) : [];
  return withChoices(
    str(q.stem),
    choices.map((c) => [c.label, c.text]),
  );
};

/** A Self-Instruct task as a prompt: its instruction and its first instance's input. */
const selfInstructTask = (row: Json): string => {
  const instances = Array.isArray(row.instances) ? (row.instances as Json[]) : [];
  return withInput(str(row.instruction), str(instances[0]?.input), '\n\n');
};

/** The rows of a CSV text (RFC 4180 quoting: "…", "" for a quote), the header row included. */
const csv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows.filter((r) => r.some((v) => v.trim() !== ''));
};

/** bAbI's stories as prompts: every question with the story told before it (line numbers off). */
const babiStories = (text: string, category: string): Row[] => {
  const rows: Row[] = [];
  let story: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+) (.*)$/.exec(line.trim());
    if (m === null) continue;
    const [, n, rest = ''] = m;
    if (n === '1') story = [];
    const [sentence = '', answer] = rest.split('\t');
    if (answer === undefined) story.push(sentence.trim());
    else rows.push({ text: `${story.join(' ')}\n${sentence.trim()}`, category });
  }
  return rows;
};

/** bAbI's tasks that need more than one fact looked up: tracking, counting, time, deduction, space. */
const BABI_TASKS = [
  'qa2_two-supporting-facts',
  'qa3_three-supporting-facts',
  'qa7_counting',
  'qa14_time-reasoning',
  'qa15_basic-deduction',
  'qa16_basic-induction',
  'qa17_positional-reasoning',
  'qa18_size-reasoning',
  'qa19_path-finding',
];

/** P3 (T0) templates over commonsense and qualitative-reasoning sets (not CommonsenseQA: its own source). */
const P3_REASONING = ['social_i_qa', 'cosmos_qa', 'quarel', 'quartz', 'qasc', 'wiqa', 'ropes'];
/** Templates that ask to write a question, not to answer one. */
const P3_ASKS_FOR_A_QUESTION = /Generate_the_question|context_answer_to_question/;

/** P3 (T0) templates over classic NLP data sets: classification, extraction, QA over a passage. */
const P3_DATASETS = [
  'ag_news',
  'amazon_polarity',
  'app_reviews',
  'dbpedia_14',
  'imdb',
  'rotten_tomatoes',
  'yelp_review_full',
  'trec',
  'samsum',
  'xsum',
  'cnn_dailymail',
  'gigaword',
  'wiki_qa',
  'adversarial_qa',
  'duorc',
  'quoref',
  'kilt_tasks',
  'multi_news',
  'paws',
  'glue',
  'wiki_bio',
  'wiki_hop',
  'dream',
];

/** AGIEval's exams that are neither MATH nor LogiQA (both are sources of their own). */
const AGIEVAL_TASKS = ['lsat-ar', 'lsat-lr', 'sat-math', 'aqua-rat', 'logiqa-zh', 'gaokao-mathqa'];

const ZERO_SHOT_COT = '5ef330fcdeec0cd26aee27943504f91f8ec1c33c';

export const SOURCES: readonly Source[] = [
  {
    id: 'gsm8k',
    label: 'hard',
    role: 'train',
    repo: 'openai/grade-school-math',
    commit: '3101c7d5072418e28b9008a6636bde82a006892c',
    licence: 'MIT',
    why: 'multi-step grade-school word problems; small models lose the arithmetic chain',
    read: (show) =>
      ['train', 'test'].flatMap((split) =>
        jsonl(show(`grade_school_math/data/${split}.jsonl`)).map((r) => ({
          text: str((r as Json).question),
          category: 'word-problem',
        })),
      ),
  },
  {
    id: 'math',
    label: 'hard',
    role: 'train',
    repo: 'aiwaves-cn/agents',
    commit: 'e8c4e3c2d19739d3dff59e577d1c97090cc15f59',
    licence: 'MIT (MATH, Hendrycks et al.; mirrored under src/agents/datasets/data/math)',
    why: 'competition mathematics (AMC, AIME), every subject and level',
    read: (show, list) =>
      list('src/agents/datasets/data/math')
        .filter((path) => path.endsWith('.json'))
        .map((path) => {
          const r = JSON.parse(show(path)) as Json;
          return { text: str(r.problem), category: str(r.type) };
        }),
  },
  {
    id: 'mbpp',
    label: 'hard',
    role: 'train',
    repo: 'muitiiifruckt/ASE',
    commit: '83fa3f7963561b898623e8ade6e017d448ddca98',
    licence: 'CC-BY-4.0 (MBPP, Austin et al.; mirrored as mbpp.jsonl)',
    why: 'programming tasks checked by tests; the prompt is the task and its tests, as in the paper',
    read: (show) =>
      jsonl(show('mbpp.jsonl')).map((r) => {
        const row = r as Json;
        const tests = Array.isArray(row.test_list) ? row.test_list.map(str).join('\n') : '';
        return {
          text: `${str(row.text)}\nYour code should pass these tests:\n${tests}`,
          category: 'coding',
        };
      }),
  },
  {
    id: 'logiqa',
    label: 'hard',
    role: 'train',
    repo: 'lgw863/LogiQA-dataset',
    commit: 'ff6c4cbca47627b3ac2da94a29fa28204a167b41',
    licence: 'no licence file; published for research (Liu et al., IJCAI 2020)',
    why: 'logical reasoning from civil-service exams: deduction over a passage',
    read: (show) =>
      ['Eval.txt', 'Test.txt'].flatMap((file) => {
        const lines = show(file).replace(/\r/g, '').split('\n');
        const rows: Row[] = [];
        // Eight lines an example: blank, answer, passage, question, four options.
        for (let i = 0; i + 7 < lines.length + 1; i += 8) {
          const [, , passage, question, a, b, c, d] = lines.slice(i, i + 8);
          if (passage === undefined || question === undefined) continue;
          rows.push({
            text: `${passage}\n${question}\n${[a, b, c, d].filter(Boolean).join('\n')}`,
            category: 'logic',
          });
        }
        return rows;
      }),
  },
  {
    id: 'fermi',
    label: 'hard',
    role: 'train',
    repo: 'allenai/fermi',
    commit: 'dfd4ceec41ef5fa0fe63e24c6027f13730d39a36',
    licence: 'Apache-2.0',
    why: 'Fermi estimation: decompose, recall quantities, compute an order of magnitude',
    read: (show) => [
      ...['train', 'val', 'test'].flatMap((split) =>
        (JSON.parse(show(`data/realFP/${split}_realfp.json`)) as Json[]).map((r) => ({
          text: str(r.question),
          category: 'estimation-real',
        })),
      ),
      ...(JSON.parse(show('data/synthFP/val_synthfp.json')) as Json[]).map((r) => ({
        text: str(r.question),
        category: 'estimation-synthetic',
      })),
    ],
  },
  {
    id: 'agieval',
    label: 'hard',
    role: 'train',
    repo: 'ruixiangcui/AGIEval',
    commit: '5c77d073fda993f1652eaae3cf5d04cc5fd21d40',
    licence: 'MIT (AGIEval, Microsoft; each exam per data/v1/LICENSE)',
    why: 'human admission exams: LSAT analytical and logical reasoning, SAT and GRE/GMAT maths, a Chinese logic exam',
    read: (show) =>
      AGIEVAL_TASKS.flatMap((task) =>
        jsonl(show(`data/v1/${task}.jsonl`)).map((r) => {
          const row = r as Json;
          const options = Array.isArray(row.options) ? row.options.map(str).join('\n') : '';
          const passage = str(row.passage);
          return {
            text: [passage, str(row.question), options].filter((t) => t !== '').join('\n'),
            category: task,
          };
        }),
      ),
  },
  {
    id: 'theoremqa',
    label: 'hard',
    role: 'train',
    repo: 'wenhuchen/TheoremQA',
    commit: '585c960f647b3cae8b37ff71fd9dac45ce4b4e91',
    licence: 'MIT',
    why: 'university STEM questions that need a named theorem applied (maths, physics, finance, CS)',
    read: (show) =>
      (JSON.parse(show('theoremqa_test.json')) as Json[])
        .filter((r) => r.Picture === null)
        .map((r) => ({ text: str(r.Question), category: str(r.field) })),
  },
  {
    id: 'riddlesense',
    label: 'hard',
    role: 'train',
    repo: '1171-jpg/BrainTeaser',
    commit: '4d164df75ba95682758248727bfc9d2746e598b7',
    licence: 'RiddleSense (Lin et al., 2021) as mirrored there; no licence file in the mirror',
    why: 'riddles: lateral thinking and figurative reading, where small models take the literal answer',
    read: (show) =>
      ['rs_train', 'rs_dev'].flatMap((split) =>
        jsonl(show(`data/${split}.jsonl`)).map((r) => ({
          text: stemAndChoices(r),
          category: 'riddle',
        })),
      ),
  },
  {
    id: 'gpteacher-codegen',
    label: 'hard',
    role: 'train',
    repo: 'teknium1/GPTeacher',
    commit: '481075123c29854bddb82655badeef6a438f2436',
    licence: 'MIT',
    why: 'write a program or function from a plain-language task (GPT-4-written tasks)',
    read: (show) =>
      (JSON.parse(show('Codegen/codegen-instruct.json')) as Json[]).map((r) => {
        const input = str(r.input);
        return {
          text: withInput(str(r.instruction), input, '\n'),
          category: 'coding',
        };
      }),
  },
  {
    id: 'commonsenseqa',
    label: 'hard',
    role: 'train',
    repo: 'lionzwarrior/llm-benchmark',
    commit: '8866ece85533b6532bdf67f9258e88a9902dcf40',
    licence:
      'CommonsenseQA (Talmor et al., 2019), its dev split as mirrored there; no licence file',
    why: 'everyday questions whose answer needs unstated commonsense knowledge, five choices',
    read: (show) =>
      jsonl(show('dev_rand_split.jsonl')).map((r) => {
        // This mirror's shape: the question a string, the choices two parallel lists.
        const row = r as Json;
        const choices = (row.choices ?? {}) as { label?: unknown[]; text?: unknown[] };
        const pairs = (choices.text ?? []).map((t, k): [unknown, unknown] => [
          choices.label?.[k],
          t,
        ]);
        return { text: withChoices(str(row.question), pairs), category: 'commonsense' };
      }),
  },
  {
    id: 'dolly',
    label: 'easy',
    role: 'train',
    repo: 'nayohan/dolly-15k-analysis',
    commit: '5797d87c90c8c13a8ec79897381991a280092945',
    licence: 'CC-BY-SA-3.0 (databricks-dolly-15k; a 6,400-instruction subset mirrored there)',
    why: 'human-written everyday instructions: open and closed QA, brainstorming, writing, classification, summaries',
    read: (show) =>
      jsonl(show('dolly_decode_bak/google_flan-t5-base_decode_output.jsonl')).map((r) => ({
        text: str((r as Json).instruction),
        category: 'instruction',
      })),
  },
  {
    id: 'p3',
    label: 'easy',
    role: 'train',
    repo: 'yizhongw/self-instruct',
    commit: '0b26ccaa415992100fa32df62d41b994cf928e23',
    licence: 'Apache-2.0 (P3 / T0 prompt templates, data/finetuning/t0_train_50k)',
    why: 'templated classic NLP: sentiment, topic, summarise, extract, answer from a passage',
    read: (show, list) => p3Templates(show, list, P3_DATASETS),
  },
  {
    id: 'folio',
    label: 'hard',
    role: 'train',
    repo: 'Yale-LILY/FOLIO',
    commit: '5d7bb84c7edab3fb358e057d2807f19cf5cf5e2d',
    licence: 'CC-BY-SA-4.0',
    why: 'first-order logic: does a conclusion follow from expert-written premises',
    read: (show) =>
      ['train', 'validation'].flatMap((split) =>
        jsonl(show(`data/v0.0/folio-${split}.jsonl`)).map((r) => {
          const row = r as Json;
          const premises = Array.isArray(row.premises) ? row.premises.map(str).join('\n') : '';
          return {
            // The data set's own framing: premises, a conclusion, true / false / uncertain.
            text: `Premises:\n${premises}\nConclusion: ${str(row.conclusion)}\nIs the conclusion true, false, or uncertain?`,
            category: 'first-order-logic',
          };
        }),
      ),
  },
  {
    id: 'cruxeval',
    label: 'hard',
    role: 'train',
    repo: 'facebookresearch/cruxeval',
    commit: '190faf16d175b5847b0af05d937872b1fb395942',
    licence: 'MIT',
    why: 'reason about what a short Python function returns for an input',
    read: (show) =>
      jsonl(show('data/cruxeval.jsonl')).map((r) => {
        const row = r as Json;
        return {
          text: `${str(row.code)}\nWhat does f(${str(row.input)}) return?`,
          category: 'code-reasoning',
        };
      }),
  },
  {
    id: 'webquestions',
    label: 'easy',
    role: 'train',
    repo: 'brmson/dataset-factoid-webquestions',
    commit: '668890853388010fe6ae9a5eb035a7917b88933b',
    licence: 'CC-BY-4.0 (WebQuestions, Berant et al.)',
    why: 'everyday factual questions people typed into a search engine',
    read: (show) =>
      ['trainmodel', 'val', 'devtest', 'test'].flatMap((split) =>
        (JSON.parse(show(`main/${split}.json`)) as Json[]).map((r) => ({
          text: str(r.qText),
          category: 'factoid',
        })),
      ),
  },
  {
    id: 'gpteacher-roleplay',
    label: 'easy',
    role: 'train',
    repo: 'teknium1/GPTeacher',
    commit: '481075123c29854bddb82655badeef6a438f2436',
    licence: 'MIT',
    why: 'role-play and character writing (GPT-4-written instructions)',
    read: (show) =>
      (JSON.parse(show('Roleplay/roleplay-simple-deduped-roleplay-instruct.json')) as Json[]).map(
        (r) => {
          const input = str(r.input);
          return {
            text: withInput(str(r.instruction), input, '\n'),
            category: 'roleplay',
          };
        },
      ),
  },
  {
    id: 'symbolic',
    label: 'hard',
    role: 'probe',
    repo: 'kojima-takeshi188/zero_shot_cot',
    commit: ZERO_SHOT_COT,
    licence:
      'no licence file; the symbolic-reasoning sets of Kojima et al. (2022), after Wei et al. (2022)',
    why: 'state tracking and string manipulation in plain words (coin flips, last letters): small models lose the chain',
    read: (show) =>
      ['coin_flip', 'last_letters'].flatMap((task) =>
        (JSON.parse(show(`dataset/${task}/${task}.json`)) as { examples: Json[] }).examples.map(
          (e) => ({ text: str(e.question), category: task }),
        ),
      ),
  },
  {
    id: 'truthfulqa',
    label: 'hard',
    role: 'probe',
    repo: 'benedictflorance/truthfulqa_experiments',
    commit: '6fdfd38288e86296582a584694df5cf43d1f634a',
    licence: 'Apache-2.0 (TruthfulQA, Lin et al., 2022; mirrored as datasets/TruthfulQA.csv)',
    why: 'everyday questions built so that the common misconception is the likely answer: small models repeat it',
    read: (show) =>
      csv(show('datasets/TruthfulQA.csv'))
        .slice(1)
        .map(([, category, question]) => ({ text: question ?? '', category: category ?? '' })),
  },
  {
    id: 'babi',
    label: 'hard',
    role: 'probe',
    repo: 'ghundal93/QA-Experiments-with-DMN',
    commit: '45eadefd8b819ebf5a23a9c138988ee888eb3e16',
    licence: 'CC-BY-3.0 (bAbI tasks, Weston et al., Facebook; data/LICENSE.txt)',
    why: 'short stories in plain words, then a question that needs several facts chained: who has what where, counts, paths, sizes',
    read: (show) =>
      BABI_TASKS.flatMap((task) =>
        babiStories(show(`data/en-10k/${task}_test.txt`), task.replace(/^qa\d+_/, '')),
      ),
  },
  {
    id: 'p3-reasoning',
    label: 'hard',
    role: 'probe',
    repo: 'yizhongw/self-instruct',
    commit: '0b26ccaa415992100fa32df62d41b994cf928e23',
    licence: 'Apache-2.0 (P3 / T0 prompt templates, data/finetuning/t0_train_50k)',
    why: 'templated commonsense and qualitative reasoning (Social IQa, Cosmos QA, QuaRel, QuaRTz, QASC, WIQA, ROPES): everyday situations, an answer that needs an unstated inference',
    read: (show, list) => p3Templates(show, list, P3_REASONING, P3_ASKS_FOR_A_QUESTION),
  },
  {
    id: 'openbookqa',
    label: 'hard',
    role: 'probe',
    repo: 'benedictflorance/truthfulqa_experiments',
    commit: '6fdfd38288e86296582a584694df5cf43d1f634a',
    licence:
      'Apache-2.0 (OpenBookQA, Mihaylov et al., 2018, AllenAI; 500 questions mirrored as datasets/openbookqa.jsonl)',
    why: 'elementary science applied to an everyday situation with common knowledge it leaves unstated, four choices',
    read: (show) =>
      jsonl(show('datasets/openbookqa.jsonl')).map((r) => ({
        text: stemAndChoices(r),
        category: 'science',
      })),
  },
  {
    id: 'chatgpt-prompts',
    label: 'easy',
    role: 'probe',
    repo: 'f/awesome-chatgpt-prompts',
    commit: '818ac2f32e3b5440311090268b390a99b4156534',
    licence: 'CC0-1.0',
    why: 'prompts people wrote and shared to set a chat model a role ("act as a travel guide"): writing, advice, role-play; the text ones not marked for developers',
    read: (show) => {
      const [header = [], ...rows] = csv(show('prompts.csv'));
      const at = (name: string) => header.indexOf(name);
      return rows
        .filter((r) => r[at('type')] === 'TEXT' && r[at('for_devs')] === 'FALSE')
        .map((r) => ({ text: r[at('prompt')] ?? '', category: 'act-as' }));
    },
  },
  {
    id: 'mmlu',
    label: 'hard',
    role: 'probe',
    repo: 'hendrycks/test',
    commit: 'f112c7a259c48bc97cfca63fc0cf66235a5d9bcf',
    licence: 'MIT',
    why: 'exam questions over 57 subjects (law, medicine, ethics, science, everyday trivia), four choices: knowledge and reasoning small models miss',
    read: (show, list) =>
      list('data/test')
        .filter((path) => path.endsWith('_test.csv'))
        .flatMap((path) => {
          const subject = (path.split('/').pop() ?? '').replace(/_test\.csv$/, '');
          // No header: question, four choices, the answer's letter.
          return csv(show(path)).map(([question, ...choices]) => ({
            text: withChoices(
              question ?? '',
              choices.slice(0, 4).map((c, i): [unknown, unknown] => ['ABCD'[i], c]),
            ),
            category: subject,
          }));
        }),
  },
  {
    id: 'wsc',
    label: 'hard',
    role: 'probe',
    repo: 'panda0881/e2e-coref',
    commit: '4a5d0b19e5ac11b9a7d585d1da9c2f71d6b55e48',
    licence:
      'CC-BY-4.0 (the Winograd Schema Challenge collection, Davis, Levesque and Morgenstern; mirrored as WSCollection.xml)',
    why: 'whom a pronoun in an everyday sentence refers to, when only commonsense about the situation tells',
    read: (show) =>
      [...show('WSCollection.xml').matchAll(/<schema>([\s\S]*?)<\/schema>/g)].map(
        ([, schema = '']) => {
          const tag = (name: string, from = schema) =>
            (new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(from)?.[1] ?? '')
              .replace(/\s+/g, ' ')
              .trim();
          const text = /<text>([\s\S]*?)<\/text>/.exec(schema)?.[1] ?? '';
          const sentence = `${tag('txt1', text)} ${tag('pron', text)} ${tag('txt2', text)}`.trim();
          const answers = [...schema.matchAll(/<answer>([\s\S]*?)<\/answer>/g)].map(([, a = '']) =>
            a.trim(),
          );
          return {
            text: withChoices(
              `${sentence}\nWho or what does "${tag('pron', text)}" refer to?`,
              answers.map((a, i): [unknown, unknown] => ['AB'[i], a]),
            ),
            category: 'winograd',
          };
        },
      ),
  },
  {
    id: 'blimp',
    label: 'hard',
    role: 'probe',
    repo: 'alexwarstadt/blimp',
    commit: '3e56b06fcabca9b30822fc66435fca6b1aa40bb1',
    licence: 'CC-BY-4.0',
    why: 'which of two minimally different sentences is grammatical (67 phenomena: islands, agreement, negative polarity, word order)',
    read: (show, list) =>
      list('data')
        .filter((path) => path.endsWith('.jsonl'))
        .flatMap((path) =>
          jsonl(show(path)).map((r, k) => {
            const row = r as Json;
            // The grammatical one first in every other pair, so its place tells nothing.
            const pair = [str(row.sentence_good), str(row.sentence_bad)];
            const [a, b] = k % 2 === 0 ? pair : pair.reverse();
            return {
              text: `Which of these two sentences is grammatical?\nA. ${a}\nB. ${b}`,
              category: str(row.linguistics_term),
            };
          }),
        ),
  },
  {
    id: 'comve',
    label: 'hard',
    role: 'probe',
    repo: 'wangcunxiang/SemEval2020-Task4-Commonsense-Validation-and-Explanation',
    commit: 'c55b1a9e6cb66997675f85073e17a9522cf38c2c',
    licence: 'no licence file; published for research (ComVE, SemEval-2020 Task 4, Wang et al.)',
    why: 'which of two near-identical everyday statements is against common sense, and why: plausibility judged in plain words',
    read: (show) => {
      const dirs = ['ALL data/Training  Data/', 'ALL data/Dev Data/', 'ALL data/Test Data/'];
      const names = ['subtaskA_data_all', 'subtaskA_dev_data', 'subtaskA_test_data'];
      const namesB = ['subtaskB_data_all', 'subtaskB_dev_data', 'subtaskB_test_data'];
      // The task's own framing (its README): task A picks the statement, task B the reason.
      const a = dirs.flatMap((dir, k) =>
        csv(show(`${dir}${names[k]}.csv`))
          .slice(1)
          .map(([, s0, s1]) => ({
            text: `Which statement of the two is against common sense?\nStatement 1: ${s0 ?? ''}\nStatement 2: ${s1 ?? ''}`,
            category: 'validation',
          })),
      );
      const b = dirs.flatMap((dir, k) =>
        csv(show(`${dir}${namesB[k]}.csv`))
          .slice(1)
          .map(([, sentence, ...options]) => ({
            text: withChoices(
              `Select the most corresponding reason why this statement is against common sense.\nStatement: ${sentence ?? ''}`,
              options.map((o, i): [unknown, unknown] => ['ABC'[i], o]),
            ),
            category: 'explanation',
          })),
      );
      return [...a, ...b];
    },
  },
  {
    id: 'cola',
    label: 'hard',
    role: 'probe',
    repo: 'nyu-mll/CoLA-baselines',
    commit: 'dd095d3646ed05a315280aaa8ed4ec84ba435b3e',
    licence:
      "CoLA (Warstadt et al., 2018): sentences from 23 linguistics publications, distributed for research; the repository's MIT licence covers its code",
    why: 'is this sentence acceptable English: grammaticality judgements small models make near chance',
    read: (show) =>
      ['in_domain_train', 'in_domain_dev', 'out_of_domain_dev'].flatMap((split) =>
        show(`acceptability_corpus/cola_public/raw/${split}.tsv`)
          .split('\n')
          .map((line) => line.split('\t')[3]?.trim() ?? '')
          .filter((s) => s !== '')
          .map((s) => ({
            text: `Is the following sentence grammatically acceptable English?\n${s}`,
            category: 'acceptability',
          })),
      ),
  },
  {
    id: 'bbh',
    label: 'hard',
    role: 'holdout',
    repo: 'suzgunmirac/BIG-Bench-Hard',
    commit: '9ee07bd481feebf959a6b59d61ea57bdcf30964d',
    licence: 'MIT (its canary asks that it stay out of training corpora: it is judged on only)',
    why: 'the 27 BIG-Bench tasks language models found hardest: logic, tracking, arithmetic, dates',
    read: (show, list) =>
      list('bbh')
        .filter((path) => path.endsWith('.json'))
        .flatMap((path) => {
          const task =
            path
              .split('/')
              .pop()
              ?.replace(/\.json$/, '') ?? '';
          const data = JSON.parse(show(path)) as { examples: Json[] };
          return data.examples.map((e) => ({ text: str(e.input), category: task }));
        }),
  },
  {
    id: 'humaneval',
    label: 'hard',
    role: 'holdout',
    repo: 'openai/human-eval',
    commit: '6d43fb980f9fee3c892a914eda09951f772ad10d',
    licence: 'MIT',
    why: 'complete a Python function from its signature and docstring',
    read: (show) =>
      jsonl(show('data/HumanEval.jsonl.gz')).map((r) => ({
        text: str((r as Json).prompt),
        category: 'coding',
      })),
  },
  {
    id: 'self-instruct-user',
    label: 'easy',
    role: 'holdout',
    repo: 'yizhongw/self-instruct',
    commit: '0b26ccaa415992100fa32df62d41b994cf928e23',
    licence: 'Apache-2.0',
    why: '252 instructions written for everyday apps (mail, writing aids, social media, travel)',
    read: (show) =>
      jsonl(show('human_eval/user_oriented_instructions.jsonl')).map((r) => ({
        text: selfInstructTask(r as Json),
        category: str((r as Json).motivation_app),
      })),
  },
  {
    id: 'instructionwild-user',
    label: 'easy',
    role: 'holdout',
    repo: 'XueFuzhao/InstructionWild',
    commit: '047fa6b9abd4a0b2d5ed6f0f9bbc14df5bd6b1d6',
    licence: 'non-commercial research only: used to judge, never to train',
    why: '429 instructions real users shared on Twitter, typed by the authors (generation, open QA, chat, rewrite, …)',
    read: (show) =>
      jsonl(show('data_v2/user_1.jsonl'))
        .map((r) => r as Json)
        .filter((r) => str(r.instruction_type) !== 'Other')
        .map((r) => ({ text: str(r.instruction), category: str(r.instruction_type) })),
  },
  {
    id: 'self-instruct-seed',
    label: 'easy',
    role: 'holdout',
    repo: 'yizhongw/self-instruct',
    commit: '0b26ccaa415992100fa32df62d41b994cf928e23',
    licence: 'Apache-2.0',
    why: '175 human-written seed tasks of everyday use (writing, advice, rewriting, trivia)',
    read: (show) =>
      jsonl(show('data/seed_tasks.jsonl')).map((r) => ({
        text: selfInstructTask(r as Json),
        category: str((r as Json).name),
      })),
  },
];

/**
 * An easy-source row that asks for code, a calculation or a puzzle is not labelled easy by its
 * source: such rows are left out (counted in SOURCES.md), not relabelled by this rule.
 */
export const AMBIGUOUS_EASY =
  /\b(code|program|function|python|javascript|java|c\+\+|sql|algorithm|regex|script|calculate|compute|solve|equation|probability|integral|derivative|riddle|puzzle|prove)\b|\d\s*[-+*/^=×÷]\s*\d/i;
