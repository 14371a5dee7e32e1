/**
 * The SVG picture of a race: well-formed XML with a title and description, one lane per
 * attempt carrying its outcome, the delay line and the bars at the x the axis gives their
 * times, text escaped, and the same race always giving the same bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { raceFromConnect, raceFromCurl, type ConnectLike } from '../src/reports/race.js';
import { niceAxis, renderRaceSvg } from '../src/reports/race-svg.js';
import { drawTimeline } from '../src/reports/timeline.js';
import { descendants, parseXml, type XmlElement } from './helpers/xml-wellformed.js';

/** A Happy Eyeballs race as the connector reports it: IPv6 to nowhere, IPv4 after the delay. */
function happyRace(over: Partial<ConnectLike> = {}): ConnectLike {
  return {
    host: 'dual-badv6.local',
    port: 80,
    mode: 'happy',
    delayMs: 250,
    winner: { address: '172.30.0.10', family: 4 },
    totalMs: 253.4,
    attempts: [
      { address: 'fd00:dead:beef::9999', family: 6, startMs: 1.6, endMs: 253.4, outcome: 'cancelled' },
      { address: '172.30.0.10', family: 4, startMs: 251.7, endMs: 253.3, outcome: 'connected' },
    ],
    trace: [
      { t: 1.2, type: 'query-answered', qtype: 'AAAA', addresses: ['fd00:dead:beef::9999'] },
      { t: 1.4, type: 'query-answered', qtype: 'A', addresses: ['172.30.0.10'] },
    ],
    ...over,
  };
}

const classes = (el: XmlElement): string[] => (el.attributes['class'] ?? '').split(/\s+/);
const lanes = (svg: XmlElement): XmlElement[] => descendants(svg, 'g').filter((g) => classes(g).includes('lane'));
const marks = (svg: XmlElement): XmlElement[] => descendants(svg, 'g').filter((g) => classes(g).includes('mark'));

/** x of the axis ticks, by their time: the scale as the picture itself states it. */
function tickX(svg: XmlElement): Map<number, number> {
  const out = new Map<number, number>();
  for (const g of descendants(svg, 'g').filter((e) => classes(e).includes('tick'))) {
    const line = g.children.find((c) => c.name === 'line')!;
    out.set(Number(g.attributes['data-ms']), Number(line.attributes['x1']));
  }
  return out;
}

test('the picture is well-formed SVG with a title and a description of the race', () => {
  const svg = parseXml(renderRaceSvg(raceFromConnect(happyRace())));
  assert.equal(svg.name, 'svg');
  assert.equal(svg.attributes['xmlns'], 'http://www.w3.org/2000/svg');
  assert.equal(svg.attributes['role'], 'img');
  const title = svg.children.find((c) => c.name === 'title');
  const desc = svg.children.find((c) => c.name === 'desc');
  assert.ok(title && desc, 'has <title> and <desc> as first children');
  assert.match(title.text, /dual-badv6\.local:80/);
  assert.match(title.text, /winner IPv4 172\.30\.0\.10 after 253 ms/);
  assert.match(desc.text, /IPv6 fd00:dead:beef::9999 started at 1\.6 ms and cancelled at 253 ms/);
  assert.deepEqual(svg.attributes['aria-labelledby']!.split(' ').sort(), [title.attributes['id'], desc.attributes['id']].sort());
});

test('one lane per attempt, in order, with its outcome as a class', () => {
  const race = raceFromConnect(
    happyRace({
      attempts: [
        { address: 'fd00:dead:beef::9999', family: 6, startMs: 1, endMs: 40, outcome: 'failed', error: { code: 'EHOSTUNREACH' } },
        { address: 'fd00:dead:beef::10', family: 6, startMs: 40, endMs: 290, outcome: 'cancelled' },
        { address: '172.30.0.10', family: 4, startMs: 290, endMs: 291, outcome: 'connected' },
      ],
    }),
  );
  const svg = parseXml(renderRaceSvg(race));
  const got = lanes(svg).map((g) => [g.attributes['data-address'], g.attributes['data-family'], classes(g).find((c) => c.startsWith('outcome-'))]);
  assert.deepEqual(got, [
    ['fd00:dead:beef::9999', '6', 'outcome-failed'],
    ['fd00:dead:beef::10', '6', 'outcome-cancelled'],
    ['172.30.0.10', '4', 'outcome-connected'],
  ]);
  const failedNote = descendants(lanes(svg)[0]!, 'text').map((t) => t.text);
  assert.ok(failedNote.some((t) => t.includes('EHOSTUNREACH')), `the failed lane names its errno: ${failedNote.join(' | ')}`);
  // the text timeline draws the very same lanes
  assert.equal(drawTimeline(race.lanes).split('\n').filter((l) => / started [\d.]+ ms/.test(l)).length, 3);
});

test('a lane still running when the race ended is drawn open to the axis end', () => {
  const race = raceFromCurl('dual-badv6.local', 80, [{ address: 'fd00:dead:beef::9999', atMs: 0.5 }, { address: '172.30.0.10', atMs: 201 }], undefined, 200);
  const svg = parseXml(renderRaceSvg(race));
  assert.deepEqual(lanes(svg).map((g) => classes(g).includes('open')), [true, true]);
  assert.match(svg.children.find((c) => c.name === 'title')!.text, /no winner/);
});

test('the delay line and the bars sit where the axis puts their times', () => {
  const race = raceFromConnect(happyRace());
  const svg = parseXml(renderRaceSvg(race, { width: 800, untilMs: 500 }));
  const ticks = tickX(svg);
  const x0 = ticks.get(0)!;
  const x500 = ticks.get(500)!;
  assert.ok(x0 !== undefined && x500 !== undefined && x500 > x0, `ticks at 0 and 500 ms: ${[...ticks.keys()].join(', ')}`);
  const at = (t: number): number => x0 + ((x500 - x0) * t) / 500;
  // ticks are evenly spaced on the same scale
  for (const [t, x] of ticks) assert.ok(Math.abs(x - at(t)) <= 0.1, `tick ${t} ms at x=${x}, expected ${at(t)}`);

  const [delay] = marks(svg);
  assert.ok(delay && classes(delay).includes('mark-delay'));
  const line = delay.children.find((c) => c.name === 'line')!;
  // RFC 8305's delay runs from the first attempt's start: 1.6 + 250 ms
  assert.ok(Math.abs(Number(line.attributes['x1']) - at(251.6)) <= 0.1, `delay line at x=${line.attributes['x1']}, expected ${at(251.6)}`);
  assert.equal(line.attributes['x1'], line.attributes['x2'], 'the line is vertical');
  assert.match(descendants(delay, 'text')[0]!.text, /Connection Attempt Delay 250 ms/);

  race.lanes.forEach((l, i) => {
    const bar = descendants(lanes(svg)[i]!, 'rect')[0]!;
    assert.ok(Math.abs(Number(bar.attributes['x']) - at(l.startMs)) <= 0.1, `lane ${i} starts at x=${bar.attributes['x']}, expected ${at(l.startMs)}`);
    const end = Math.max(at(l.startMs) + 2, at(l.endMs!));
    assert.ok(Math.abs(Number(bar.attributes['x']) + Number(bar.attributes['width']) - end) <= 0.2, `lane ${i} ends at ${end}`);
  });
  // the DNS answers are marked at their times too
  const answers = descendants(svg, 'path').filter((p) => classes(p).includes('answer'));
  assert.deepEqual(answers.map((p) => classes(p).find((c) => c.startsWith('answer-'))), ['answer-aaaa', 'answer-a']);
});

test('the sequential client shows its per-attempt timeout, not a delay', () => {
  const race = raceFromConnect(
    happyRace({
      mode: 'sequential',
      totalMs: 2004,
      attempts: [
        { address: 'fd00:dead:beef::9999', family: 6, startMs: 2, endMs: 2002, outcome: 'failed', error: { code: 'ETIMEDOUT' } },
        { address: '172.30.0.10', family: 4, startMs: 2002, endMs: 2004, outcome: 'connected' },
      ],
    }),
    { attemptTimeoutMs: 2000 },
  );
  const svg = parseXml(renderRaceSvg(race));
  assert.deepEqual(marks(svg).map((g) => [classes(g)[1], g.attributes['data-ms']]), [['mark-timeout', '2002']]);
  assert.ok(descendants(svg, 'text').some((t) => t.text === 'timed out after 2000 ms'));
});

test('hosts and addresses are escaped, in text and in attributes', () => {
  const nasty = `a<b>&"c'`;
  const race = raceFromConnect(
    happyRace({
      host: nasty,
      winner: { address: '<&>', family: 4 },
      attempts: [
        { address: '<&>', family: 4, startMs: 1, endMs: 2, outcome: 'connected' },
        { address: '"x"', family: 4, startMs: 1, endMs: 2, outcome: 'cancelled' },
      ],
    }),
  );
  const text = renderRaceSvg(race);
  assert.ok(!text.includes('<b>') && !text.includes('<&>'), 'no raw markup from the input');
  const svg = parseXml(text); // throws on a bare < or &
  assert.ok(svg.children.find((c) => c.name === 'title')!.text.includes(nasty));
  assert.deepEqual(lanes(svg).map((g) => g.attributes['data-address']), ['<&>', '"x"']);
});

test('the same race gives the same bytes; another race gives other bytes', () => {
  const a = renderRaceSvg(raceFromConnect(happyRace()));
  assert.equal(renderRaceSvg(raceFromConnect(happyRace())), a);
  assert.notEqual(renderRaceSvg(raceFromConnect(happyRace({ delayMs: 300 }))), a);
  assert.doesNotMatch(a, /NaN|undefined|Infinity|-0[ ".]/);
});

test('the axis ends on a round number just past the race, with at most 10 steps', () => {
  for (const latest of [0.12, 1.3, 7, 99, 253.4, 1000, 2003.9, 9999]) {
    const { untilMs, stepMs } = niceAxis(latest);
    assert.ok(untilMs >= latest, `${latest}: axis ends at ${untilMs}`);
    assert.ok(untilMs / stepMs <= 10 + 1e-9, `${latest}: ${untilMs / stepMs} steps`);
    assert.ok(untilMs - stepMs < latest, `${latest}: ends a whole step (${stepMs}) too late at ${untilMs}`);
    assert.match(String(stepMs / 10 ** Math.floor(Math.log10(stepMs))), /^(1|2|2\.5|5)$/);
  }
});

test('a race with no attempt still draws, and says so', () => {
  const svg = parseXml(renderRaceSvg(raceFromConnect(happyRace({ attempts: [], winner: null, trace: [] }))));
  assert.equal(lanes(svg).length, 0);
  assert.ok(descendants(svg, 'text').some((t) => t.text === 'no connection attempt was made'));
});
