import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { readableKeyPair } from '../src/test-bastion.js';

const { utils } = ssh2;

describe('the test bastion keys', () => {
  // ssh2 alone gets about one pair in 128 wrong, so 3,000 draws without the redraw fail
  // with near certainty (mscdex/ssh2#1390).
  it('always come out readable by ssh2, private and public', () => {
    const unreadable: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const pair = readableKeyPair();
      for (const text of [pair.private, pair.public])
        if (utils.parseKey(text) instanceof Error) unreadable.push(text);
    }
    expect(unreadable).toEqual([]);
  });
});
