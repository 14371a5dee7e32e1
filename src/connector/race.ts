/**
 * One Happy Eyeballs connection (RFC 8305): resolution as answers arrive, sorting, staggered
 * attempts that keep running side by side, the first to connect wins and every other socket,
 * timer and listener is released. Also the `sequential`, `ipv4` and `ipv6` modes.
 */
import net from 'node:net';
import { DslabError } from '../errors.js';
import type { NormalizedOptions } from './options.js';
import type { AttemptRecord, Candidate, Family, ResolutionSummary, TraceEvent } from './types.js';
import type { SortExplanation } from './explain.js';
import type { PolicyTable } from './policy-table.js';
import { resolvePolicy, SORT_NOTES } from './explain.js';
import { sortDestinations } from './address-sort.js';
import { precedenceOf } from './policy-table.js';
import { interleaveFamilies } from './interleave.js';
import { learnSources, type SourceInfo } from './source-address.js';
import { DualQuery, type FamilyAnswer } from './resolve.js';
import { lookupHostsFile } from './hosts-file.js';
import { Trace } from './trace.js';
import { preciseTimeout, type PreciseTimer } from './precise-timer.js';
import type { CacheEntry } from './cache.js';

export interface RaceOutcome {
  socket: net.Socket;
  winner: Candidate;
  attempt: AttemptRecord;
  attempts: AttemptRecord[];
  candidates: Candidate[];
  resolution: ResolutionSummary;
  explain?: SortExplanation;
}

interface LiveAttempt {
  record: AttemptRecord;
  candidate: Candidate;
  socket: net.Socket;
  timer?: NodeJS.Timeout;
}

function ignore(): void {
  // a destroyed losing socket: nothing left to report
}

function familyName(f: Family): string {
  return f === 6 ? 'IPv6' : 'IPv4';
}

export class Race {
  readonly #opts: NormalizedOptions;
  readonly #trace: Trace;
  readonly #cached: CacheEntry | undefined;
  readonly #families: Family[];
  readonly #overlap: boolean;

  #known: Candidate[] = [];
  #order: Candidate[] = [];
  #tried = new Set<string>();
  #sources = new Map<string, SourceInfo>();
  #live: LiveAttempt[] = [];
  #attempts: AttemptRecord[] = [];
  #answered = new Set<Family>();
  #pendingSequential: Candidate[] = [];
  #table: PolicyTable | undefined;
  #held: { family: Family; candidates: Candidate[] } | null = null;
  #resolutionTimer: NodeJS.Timeout | undefined;
  #delayTimer: PreciseTimer | undefined;
  #overallTimer: NodeJS.Timeout | undefined;
  #lastStart = -Infinity;
  #pendingSorts = 0;
  #query: DualQuery | undefined;
  #explain: SortExplanation | undefined;
  #resolution: ResolutionSummary = { source: 'dns', aaaa: { addresses: [], ms: null }, a: { addresses: [], ms: null } };
  #finished = false;
  #resolve!: (o: RaceOutcome) => void;
  #reject!: (e: unknown) => void;
  #onAbort = (): void => this.#abort();

  constructor(opts: NormalizedOptions, trace: Trace, cached: CacheEntry | undefined) {
    this.#opts = opts;
    this.#trace = trace;
    this.#families = opts.mode === 'ipv4' ? [4] : opts.mode === 'ipv6' ? [6] : [6, 4];
    this.#overlap = opts.mode !== 'sequential';
    this.#cached = cached && this.#families.includes(cached.family) && opts.mode !== 'sequential' ? cached : undefined;
  }

  run(): Promise<RaceOutcome> {
    return new Promise<RaceOutcome>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const signal = this.#opts.signal;
      if (signal?.aborted) {
        this.#abort();
        return;
      }
      signal?.addEventListener('abort', this.#onAbort, { once: true });
      this.#overallTimer = setTimeout(() => this.#timeout(), this.#opts.timeoutMs);
      if (this.#cached) {
        const c: Candidate = { address: this.#cached.address, family: this.#cached.family, origin: 'cache' };
        this.#trace.add({ type: 'cache-hit', address: c.address, family: c.family });
        this.#known.push(c);
        this.#startAttempt(c);
      }
      void this.#resolveHost();
    });
  }

  // ---- resolution -------------------------------------------------------------------------

  async #resolveHost(): Promise<void> {
    const host = this.#opts.host;
    const literal = net.isIP(host);
    if (literal !== 0) {
      const family = literal as Family;
      this.#resolution.source = 'literal';
      if (!this.#families.includes(family)) {
        this.#fail(
          new DslabError('DSLAB_E_RESOLVE_FAILED', `${host} is an ${familyName(family)} address but mode ${this.#opts.mode} allows only ${this.#families.map(familyName).join(' and ')}.`, {
            field: 'host',
            value: host,
            hint: `Use mode happy, or an ${familyName(this.#families[0]!)} address.`,
          }),
        );
        return;
      }
      this.#summary(family).addresses = [host];
      this.#summary(family).ms = 0;
      this.#answered = new Set([4, 6]);
      await this.#addAddresses([{ address: host, family, origin: 'literal' }]);
      return;
    }
    if (this.#opts.hostsFile !== false) {
      const entries = (await lookupHostsFile(this.#opts.hostsFile, host)).filter((e) => this.#families.includes(e.family));
      if (this.#finished) return;
      if (entries.length > 0) {
        this.#resolution.source = 'hosts';
        this.#trace.add({ type: 'hosts-answer', addresses: entries.map((e) => e.address) });
        for (const e of entries) this.#summary(e.family).addresses.push(e.address);
        const t = this.#trace.now();
        for (const f of this.#families) this.#summary(f).ms = t;
        this.#answered = new Set([4, 6]);
        await this.#addAddresses(entries.map((e) => ({ ...e, origin: 'hosts' as const })));
        return;
      }
    }
    for (const f of [4, 6] as Family[]) if (!this.#families.includes(f)) this.#answered.add(f);
    this.#query = new DualQuery({ servers: this.#opts.dnsServers, timeoutMs: this.#opts.dnsTimeoutMs });
    this.#query.start(
      host,
      this.#families,
      (family) => this.#trace.add({ type: 'query-sent', family, qtype: family === 6 ? 'AAAA' : 'A' }),
      (answer) => this.#onAnswer(answer),
    );
  }

  #summary(family: Family): ResolutionSummary['a'] {
    return family === 6 ? this.#resolution.aaaa : this.#resolution.a;
  }

  #onAnswer(answer: FamilyAnswer): void {
    if (this.#finished) return;
    const { family, addresses, error } = answer;
    const qtype = family === 6 ? 'AAAA' : 'A';
    const summary = this.#summary(family);
    summary.ms = this.#trace.now();
    summary.addresses = addresses;
    if (error) summary.error = error;
    this.#trace.add(error ? { type: 'query-failed', family, qtype, code: error } : { type: 'query-answered', family, qtype, addresses });
    this.#answered.add(family);
    const candidates = addresses.map((address): Candidate => ({ address, family, origin: 'dns' }));

    if (!this.#overlap) {
      // sequential: like getaddrinfo, wait for every answer, then sort once
      this.#pendingSequential.push(...candidates);
      if (this.#answered.size === 2) void this.#addAddresses(this.#pendingSequential);
      return;
    }
    // the other family's answer releases whatever was held for it
    const held = this.#held && this.#held.family !== family ? this.#held.candidates : [];
    if (held.length > 0) {
      this.#held = null;
      this.#clearResolutionDelay();
    }
    const other: Family = family === 6 ? 4 : 6;
    // §3: a first answer of the family that is not preferred waits up to the Resolution Delay
    // for the other one. RFC 8305 prefers IPv6; when the policy table ranks IPv4 above IPv6
    // (RFC 6724's table for a ULA, or a gai.conf preferring IPv4), the roles swap.
    if (candidates.length > 0 && !this.#answered.has(other) && this.#tried.size === 0 && family !== this.#preferredFamily(candidates[0]!.address)) {
      this.#held = { family, candidates };
      this.#trace.add({ type: 'resolution-delay-started', family, message: `${this.#opts.resolutionDelayMs} ms for ${other === 6 ? 'AAAA' : 'A'}` });
      this.#resolutionTimer = setTimeout(() => {
        this.#resolutionTimer = undefined;
        const release = this.#held?.candidates ?? [];
        this.#held = null;
        this.#trace.add({ type: 'resolution-delay-expired', family });
        void this.#addAddresses(release);
      }, this.#opts.resolutionDelayMs);
      return;
    }
    void this.#addAddresses([...candidates, ...held]);
  }

  /**
   * Which family the policy table prefers, judged from an answer's first address against the
   * table's generic row of the other family (::/0 for IPv6, ::ffff:0:0/96 for IPv4).
   */
  #preferredFamily(address: string): Family {
    const table = this.#policyTable;
    const isV6 = address.includes(':');
    const v6 = precedenceOf(table, isV6 ? address : '2001:db8::1');
    const v4 = precedenceOf(table, isV6 ? '192.0.2.1' : address);
    return v4 > v6 ? 4 : 6;
  }

  #clearResolutionDelay(): void {
    if (this.#resolutionTimer) clearTimeout(this.#resolutionTimer);
    this.#resolutionTimer = undefined;
  }

  /** The policy table, found once per connection (`system` stats /etc/gai.conf). */
  get #policyTable(): PolicyTable {
    return (this.#table ??= resolvePolicy(this.#opts.policy));
  }

  get #resolutionDone(): boolean {
    return this.#answered.size === 2 && this.#held === null && this.#pendingSorts === 0;
  }

  // ---- sorting ----------------------------------------------------------------------------

  /** Adds answers to the known set, learns their sources, and re-sorts what is left to try. */
  async #addAddresses(fresh: Candidate[]): Promise<void> {
    this.#pendingSorts++;
    try {
      // a lone first address needs no sorting: start it now; its source is learned only if
      // more addresses come to be sorted with it (or an explanation is asked for)
      if (this.#tried.size === 0 && this.#known.length === 0 && fresh.length === 1 && !this.#opts.explain) {
        this.#known.push(fresh[0]!);
        this.#order = [fresh[0]!];
        this.#trace.add({ type: 'sorted', addresses: [fresh[0]!.address], message: 'one address' });
        this.#startAttempt(fresh[0]!);
        return;
      }
      const news = [...new Map(this.#known.concat(fresh).map((c) => [c.address, c])).values()].filter((c) => !this.#sources.has(c.address));
      if (news.length > 0) {
        const learned = await learnSources(news);
        for (const [addr, info] of learned) this.#sources.set(addr, info);
      }
      if (this.#finished) return;
      for (const c of fresh) {
        if (!this.#known.some((k) => k.address === c.address)) this.#known.push(c);
      }
      this.#sortKnown();
    } finally {
      this.#pendingSorts--;
    }
    if (this.#finished) return;
    this.#kick();
    this.#checkExhausted();
  }

  #sortKnown(): void {
    const table = this.#policyTable;
    const inputs = this.#known.map((c) => {
      const info = this.#sources.get(c.address);
      c.source = info?.source;
      return { ...c, source: info?.source, sourcePrefixLength: info?.prefixLength };
    });
    const outcome = sortDestinations(inputs, table);
    let order: typeof inputs;
    if (this.#overlap) {
      order = interleaveFamilies(outcome.sorted, this.#opts.firstAddressFamilyCount);
    } else {
      // the seed client: IPv6 first, then IPv4, each family in sorted order
      order = [...outcome.sorted.filter((c) => c.family === 6), ...outcome.sorted.filter((c) => c.family === 4)];
    }
    this.#order = order.map((o) => this.#known.find((k) => k.address === o.address)!);
    // a cached winner stays first: it has been (or is being) tried already
    const cachedIdx = this.#order.findIndex((c) => c.origin === 'cache');
    if (cachedIdx > 0) this.#order.unshift(...this.#order.splice(cachedIdx, 1));
    this.#trace.add({ type: 'sorted', addresses: this.#order.map((c) => c.address), message: table.name });
    if (this.#opts.explain) {
      this.#explain = {
        table: { name: table.name, origin: table.origin, ...(table.ignoredLines?.length ? { ignoredLines: table.ignoredLines } : {}) },
        attributes: outcome.attributes,
        decisions: outcome.decisions,
        interleaved: this.#order.map((c) => c.address),
        firstAddressFamilyCount: this.#opts.firstAddressFamilyCount,
        notes: this.#overlap ? SORT_NOTES : [...SORT_NOTES, 'sequential mode: IPv6 addresses first, then IPv4 (the seed client), no interleaving.', ...this.#sequentialWaitNotes()],
      };
    }
  }

  /**
   * Sequential mode sorts once both queries are settled (like getaddrinfo), so a query that
   * got no answer held every attempt back for the resolver's whole timeout: say so.
   */
  #sequentialWaitNotes(): string[] {
    const notes: string[] = [];
    for (const [qtype, q] of [['AAAA', this.#resolution.aaaa], ['A', this.#resolution.a]] as const) {
      if (q.error !== 'ETIMEOUT' || q.ms === null) continue;
      notes.push(
        `sequential mode waits for both DNS answers before connecting, like getaddrinfo: the ${qtype} query got no answer and timed out after ${q.ms.toFixed(1)} ms (the resolver's timeout: ${this.#opts.dnsTimeoutMs} ms for the first try, retried on each nameserver with longer timeouts; --dns-timeout changes it), so the first attempt started only then. Happy mode (RFC 8305 §3) would have waited at most the Resolution Delay (${this.#opts.resolutionDelayMs} ms) after the other answer.`,
      );
    }
    return notes;
  }

  // ---- racing -----------------------------------------------------------------------------

  #next(): Candidate | undefined {
    return this.#order.find((c) => !this.#tried.has(c.address));
  }

  /** Starts the next attempt if one is due: none yet, the delay passed, or nothing in flight. */
  #kick(): void {
    if (this.#finished || this.#delayTimer) return;
    const next = this.#next();
    if (!next) return;
    if (!this.#overlap && this.#live.length > 0) return;
    const sinceLast = this.#trace.now() - this.#lastStart;
    if (this.#live.length === 0 || sinceLast >= this.#opts.delayMs) {
      this.#startAttempt(next);
      return;
    }
    this.#armDelay(this.#opts.delayMs - sinceLast);
  }

  #armDelay(ms: number): void {
    if (!this.#overlap) return;
    this.#delayTimer?.cancel();
    this.#delayTimer = preciseTimeout(() => {
      this.#delayTimer = undefined;
      this.#kick();
    }, ms);
  }

  #startAttempt(candidate: Candidate): void {
    this.#tried.add(candidate.address);
    const record: AttemptRecord = { address: candidate.address, family: candidate.family, startMs: this.#trace.now(), endMs: null, outcome: 'cancelled' };
    this.#lastStart = record.startMs;
    this.#attempts.push(record);
    this.#trace.add({ type: 'attempt-started', address: candidate.address, family: candidate.family });
    const socket = net.connect({ host: candidate.address, port: this.#opts.port, family: candidate.family, noDelay: true });
    const live: LiveAttempt = { record, candidate, socket };
    this.#live.push(live);
    socket.once('connect', () => this.#onConnected(live));
    socket.once('error', (err: NodeJS.ErrnoException) => this.#onFailed(live, String(err.code ?? 'ERROR'), err.message));
    if (this.#opts.attemptTimeoutMs !== null) {
      live.timer = setTimeout(() => this.#onFailed(live, 'ETIMEDOUT', 'timed out'), this.#opts.attemptTimeoutMs);
    }
    this.#armDelay(this.#opts.delayMs);
  }

  #release(live: LiveAttempt): void {
    if (live.timer) clearTimeout(live.timer);
    live.socket.removeAllListeners('connect');
    live.socket.removeAllListeners('error');
    this.#live = this.#live.filter((l) => l !== live);
  }

  /** Destroys a losing socket; a late error from it must not become an uncaught exception. */
  #discard(live: LiveAttempt): void {
    live.socket.on('error', ignore);
    live.socket.destroy();
  }

  #onFailed(live: LiveAttempt, code: string, message: string): void {
    if (this.#finished || !this.#live.includes(live)) return;
    this.#release(live);
    this.#discard(live);
    live.record.outcome = 'failed';
    live.record.endMs = this.#trace.now();
    live.record.error = { code, message };
    this.#trace.add({ type: 'attempt-failed', address: live.record.address, family: live.record.family, code, message });
    // §5: a failure starts the next attempt at once
    this.#delayTimer?.cancel();
    this.#delayTimer = undefined;
    const next = this.#next();
    if (next) this.#startAttempt(next);
    this.#checkExhausted();
  }

  #checkExhausted(): void {
    if (this.#finished || this.#live.length > 0 || this.#next() || !this.#resolutionDone) return;
    if (this.#attempts.length === 0) {
      const a = this.#resolution.a;
      const aaaa = this.#resolution.aaaa;
      const why = this.#families.map((f) => `${f === 6 ? 'AAAA' : 'A'}: ${(f === 6 ? aaaa : a).error ?? 'no addresses'}`).join(', ');
      this.#trace.add({ type: 'all-failed', message: why });
      this.#fail(
        new DslabError('DSLAB_E_RESOLVE_FAILED', `Could not resolve ${this.#opts.host} (${why}).`, {
          field: 'host',
          value: this.#opts.host,
          hint: 'Check the name, the hosts file and the resolvers in /etc/resolv.conf (inside a lab: the node\'s own).',
          details: this.#details(),
        }),
      );
      return;
    }
    const list = this.#attempts.map((a) => `${a.address} via ${familyName(a.family)}: ${a.error?.message ?? a.outcome}${a.error ? ` (${a.error.code})` : ''}`);
    this.#trace.add({ type: 'all-failed', message: list.join('; ') });
    this.#fail(
      new DslabError('DSLAB_E_CONNECT_FAILED', `Could not connect to ${this.#opts.host} port ${this.#opts.port}: every address failed (${list.join('; ')}).`, {
        field: 'host',
        value: this.#opts.host,
        hint: 'Check that the server listens on that port and that the addresses are reachable (dslab connect --explain shows the order tried).',
        details: this.#details(),
      }),
    );
  }

  #onConnected(live: LiveAttempt): void {
    if (this.#finished) return;
    this.#release(live);
    live.record.outcome = 'connected';
    live.record.endMs = this.#trace.now();
    this.#trace.add({ type: 'attempt-connected', address: live.record.address, family: live.record.family });
    this.#finish('connected');
    this.#trace.add({ type: 'winner', address: live.record.address, family: live.record.family });
    if (live.candidate.origin === 'cache' && this.#resolution.aaaa.ms === null && this.#resolution.a.ms === null) this.#resolution.source = 'cache';
    this.#resolve({
      socket: live.socket,
      winner: live.candidate,
      attempt: live.record,
      attempts: this.#attempts,
      candidates: this.#order.length > 0 ? this.#order : [live.candidate],
      resolution: this.#resolution,
      ...(this.#explain ? { explain: this.#explain } : {}),
    });
  }

  // ---- ending -----------------------------------------------------------------------------

  /** Stops everything: timers, queries, every attempt still in flight (recorded as cancelled). */
  #finish(reason: string): void {
    this.#finished = true;
    this.#delayTimer?.cancel();
    for (const t of [this.#resolutionTimer, this.#overallTimer]) if (t) clearTimeout(t);
    this.#delayTimer = this.#resolutionTimer = this.#overallTimer = undefined;
    this.#opts.signal?.removeEventListener('abort', this.#onAbort);
    if (this.#query) {
      for (const f of this.#families) {
        if (!this.#answered.has(f)) this.#trace.add({ type: 'query-cancelled', family: f, qtype: f === 6 ? 'AAAA' : 'A' });
      }
      this.#query.cancel();
    }
    for (const live of [...this.#live]) {
      this.#release(live);
      this.#discard(live);
      live.record.outcome = 'cancelled';
      live.record.endMs = this.#trace.now();
      live.record.error = { code: 'ECANCELED', message: `cancelled: ${reason}` };
      this.#trace.add({ type: 'attempt-cancelled', address: live.record.address, family: live.record.family, message: reason });
    }
  }

  #details(): Record<string, unknown> {
    return {
      attempts: this.#attempts,
      resolution: this.#resolution,
      candidates: this.#order.map((c) => ({ ...c })),
      trace: this.#trace.events as TraceEvent[],
      ...(this.#explain ? { explain: this.#explain } : {}),
    };
  }

  #fail(err: DslabError): void {
    if (this.#finished) return;
    this.#finish(err.code === 'DSLAB_E_CONNECT_ABORTED' ? 'aborted' : err.code === 'DSLAB_E_CONNECT_TIMEOUT' ? 'timeout' : 'failed');
    this.#reject(err);
  }

  #timeout(): void {
    this.#overallTimer = undefined;
    if (this.#finished) return;
    this.#trace.add({ type: 'timeout', message: `${this.#opts.timeoutMs} ms` });
    const pending = this.#query ? this.#families.filter((f) => !this.#answered.has(f)).map((f) => (f === 6 ? 'AAAA' : 'A')) : [];
    const waiting =
      pending.length > 0 && this.#attempts.length === 0
        ? `: no attempt was made, the ${pending.join(' and ')} answer${pending.length > 1 ? 's' : ''} never came${this.#overlap ? '' : ' (sequential mode waits for both answers, like getaddrinfo)'}`
        : '';
    const err = new DslabError('DSLAB_E_CONNECT_TIMEOUT', `Could not connect to ${this.#opts.host} port ${this.#opts.port} within ${this.#opts.timeoutMs} ms${waiting}.`, {
      field: 'timeoutMs',
      value: this.#opts.timeoutMs,
      hint: 'Give it more time (--timeout), or check that some address of the host is reachable.',
      details: this.#details(),
    });
    this.#fail(err);
  }

  #abort(): void {
    if (this.#finished) return;
    this.#trace.add({ type: 'aborted' });
    const reason = this.#opts.signal?.reason;
    this.#fail(
      new DslabError('DSLAB_E_CONNECT_ABORTED', `Connecting to ${this.#opts.host} port ${this.#opts.port} was aborted.`, {
        field: 'signal',
        hint: 'The caller cancelled the connection; retry if that was not intended.',
        cause: reason,
        details: this.#details(),
      }),
    );
  }
}


