import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../src/args.ts';

test('quick is the default and the baseline always runs', () => {
  const options = parseArgs(['--targets', 'switchback,portkey'], '/tmp/out');
  assert.ok(options);
  assert.equal(options.mode, 'quick');
  assert.deepEqual(options.targets, ['direct', 'switchback', 'portkey']);
  assert.deepEqual(options.rates, [200, 500, 1000]);
});

test('flags override the preset they follow', () => {
  const options = parseArgs(['--full', '--rates=100,300', '--rounds', '2', '--cpu-prof'], '/x');
  assert.ok(options);
  assert.equal(options.mode, 'full');
  assert.deepEqual(options.rates, [100, 300]);
  assert.equal(options.rateRounds, 2);
  assert.equal(options.cpuProf, true);
});

test('a bad flag is a one-line error, --help is null', () => {
  assert.throws(() => parseArgs(['--targets', 'nginx'], '/x'), /"nginx" is not one of/);
  assert.throws(() => parseArgs(['--rates', '0'], '/x'), /positive integers/);
  assert.throws(() => parseArgs(['--fast'], '/x'), /unknown argument "--fast"/);
  assert.equal(parseArgs(['-h'], '/x'), null);
});

test('by default every target runs, the floor included', () => {
  const options = parseArgs([], '/x');
  assert.ok(options);
  assert.deepEqual(options.targets, ['direct', 'floor', 'switchback', 'edge', 'portkey']);
});
