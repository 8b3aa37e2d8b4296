import type { LoggedRequest } from '@switchback/loadtests/sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../testing/harness.ts';

let h: Harness;
let verbatim: Harness;
beforeAll(async () => {
  // Medium risk (PII alone) goes regional, so the reasons show whether classification saw the PII.
  h = await startHarness({ config: { risk: { escalate: ['medium', 'high'] } } });
  verbatim = await startHarness({
    config: { pii: { redactPrompts: false, kinds: ['email'], custom: [] } },
  });
});
afterAll(async () => {
  await h.close();
  await verbatim.close();
});
beforeEach(async () => {
  await fetch(`${h.sim.url}/_sim/requests`, { method: 'DELETE' });
  await fetch(`${verbatim.sim.url}/_sim/requests`, { method: 'DELETE' });
});

const PROMPT = 'Refund jane.doe@example.com, card 4111 1111 1111 1111, order 42.';
const REDACTED = 'Refund [redacted:email], card [redacted:card], order 42.';

const received = async (sim: Harness['sim'], target: string): Promise<LoggedRequest[]> =>
  (
    (await (await fetch(`${sim.url}/_sim/requests?target=${target}`)).json()) as {
      requests: LoggedRequest[];
    }
  ).requests;

describe('PII redaction with regional as the front door', () => {
  it('sends OpenAI the prompt with the e-mail address and the card number redacted', async () => {
    await h.client.chat.completions.create({
      model: 'smart',
      messages: [
        { role: 'system', content: 'Support desk; escalate to ops@example.com.' },
        { role: 'user', content: PROMPT },
      ],
    });
    const [sent] = await received(h.sim, 'openai');
    expect(sent?.body).toMatchObject({
      messages: [
        { role: 'system', content: 'Support desk; escalate to [redacted:email].' },
        { role: 'user', content: REDACTED },
      ],
    });
    expect(JSON.stringify(sent)).not.toContain('4111');
  });

  it('redacts streamed requests, and requests to Bedrock and vLLM, the same way', async () => {
    const stream = await h.client.chat.completions.create({
      model: 'claude',
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
    });
    for await (const _ of stream) {
      // drained
    }
    await h.client.chat.completions.create({
      model: 'qwen',
      messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
    });
    const [bedrock] = await received(h.sim, 'bedrock');
    expect(bedrock?.body).toMatchObject({
      messages: [{ role: 'user', content: [{ text: REDACTED }] }],
    });
    const [compat] = await received(h.sim, 'compat');
    expect(compat?.body).toMatchObject({
      messages: [{ role: 'user', content: [{ type: 'text', text: REDACTED }] }],
    });
  });

  it('still classifies on the client’s words: the PII raises the risk tier', async () => {
    const explained = await h.client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'Mail jane@example.com' }] })
      .withResponse();
    expect(explained.response.headers.get('x-router-reasons')).toBe('high_risk,pii_detected');
    const [sent] = await received(h.sim, 'openai');
    expect(sent?.body).toMatchObject({
      messages: [{ role: 'user', content: 'Mail [redacted:email]' }],
    });
  });

  it('sends the prompt verbatim when the config turns prompt redaction off', async () => {
    await verbatim.client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: PROMPT }],
    });
    const [sent] = await received(verbatim.sim, 'openai');
    expect(sent?.body).toMatchObject({ messages: [{ role: 'user', content: PROMPT }] });
  });
});
