import { newSession } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { createSessionStore } from './session-store.ts';

describe('the regional session store', () => {
  it('holds at most its capacity, however many distinct sessions come, dropping the least recently used', () => {
    const sessions = createSessionStore(100);
    for (let i = 0; i < 10_000; i++) sessions.set(`s${i}`, newSession());
    expect(sessions.size).toBe(100);
    expect(sessions.get('s9899')).toBeUndefined();
    expect(sessions.get('s9900')).toEqual(newSession());
    // Reading s9900 made it the most recent: the next newcomer pushes out s9901 instead.
    sessions.set('s10000', newSession());
    expect(sessions.get('s9900')).toEqual(newSession());
    expect(sessions.get('s9901')).toBeUndefined();
  });
});
