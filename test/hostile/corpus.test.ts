import { decodeXmlText } from '../../shared/adapters/soap/xml-text';
import { eventually } from '../support/eventually';
import { HOSTILE_CASES } from './cases';
import { type CorpusStack, changes, startCorpusStack } from './corpus';

/**
 * Every row of the hostile corpus (cases.ts) against the local stack, through the real path:
 * local API gateway → handler → SQS → worker → table. A refusal answers its status and names what
 * was wrong, nothing is queued or stored, and the stack stays healthy; an accepted row is stored
 * as the row says. Timings are the benchmark's (`npm run bench -- hostile`), never asserted here.
 */
let corpus: CorpusStack;
/** Set while a case runs: a case that failed half way may leave work in flight for the next. */
let unsettled = true;

beforeAll(async () => {
  corpus = await startCorpusStack();
}, 90_000);

afterAll(async () => {
  await corpus?.stop();
});

test('the corpus holds at least 80 cases in every group the issue lists', () => {
  expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(80);
  expect(new Set(HOSTILE_CASES.map((c) => c.group)).size).toBe(10);
  expect(new Set(HOSTILE_CASES.map((c) => `${c.group}: ${c.name}`)).size).toBe(HOSTILE_CASES.length);
});

describe.each([...new Set(HOSTILE_CASES.map((c) => c.group))])('%s', (group) => {
  test.each(HOSTILE_CASES.filter((c) => c.group === group).map((c) => [c.name, c] as const))(
    '%s',
    async (_name, testCase) => {
      const before = unsettled ? await corpus.settle() : await corpus.snapshot();
      unsettled = true;
      const run = corpus.newRun();
      const { response } = await corpus.send(testCase, run);

      // SOAP faults are matched with their references decoded: `<Body>`, not `&lt;Body&gt;`.
      const text = /xml/.test(response.headers['content-type'] ?? '')
        ? decodeXmlText(response.body)
        : response.body;
      expect({ status: response.status, answer: text.slice(0, 800) }).toEqual({
        status: testCase.status,
        answer: expect.stringMatching(testCase.says ?? /[\s\S]*/),
      });

      if (testCase.stored) {
        expect(response.body).toContain('<Ack>true</Ack>');
        const stored = testCase.stored;
        expect(await eventually(() => stored(run), `what ${testCase.name} stores`)).toBe('stored');
        await corpus.settle();
      } else {
        expect(response.body).not.toContain('<Ack>true</Ack>');
        const after = await corpus.snapshot();
        expect(changes(before, after)).toEqual([]);
      }
      expect(await corpus.healthy()).toBe(true);
      unsettled = false;
    },
    30_000,
  );
});

test('after the corpus, a valid message is still acknowledged and becomes a quote', async () => {
  const run = corpus.newRun();
  const canary = HOSTILE_CASES.find((c) => c.name === 'CJK text');
  if (!canary?.stored) throw new Error('the corpus has no CJK case');
  const { response } = await corpus.send(canary, run);
  expect(response.status).toBe(200);
  expect(await eventually(() => canary.stored?.(run) ?? Promise.resolve(undefined), 'the canary')).toBe(
    'stored',
  );
});
