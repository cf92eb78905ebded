/**
 * Progress of a backfill for a person: on a terminal one line rewritten in place (`\r`), elsewhere (a
 * log, CI) a plain line every few seconds. Formatting and the rate are pure; the reporter only decides
 * when to write.
 */

export type ProgressSnapshot = {
  /** Still listing referrals (the number to sync may grow). */
  listing: boolean;
  listed: number;
  /** Syncs enqueued by this run. */
  toSync: number;
  /** Of those: synced, dead-lettered or left out. */
  settled: number;
  deadLettered: number;
};

const number = new Intl.NumberFormat('en-US');

/** `1:02:03`, `4:05`, `0:09`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** One line: done / total, failures, rate and, once listing is over and the rate is known, the ETA. */
export function formatProgress(snapshot: ProgressSnapshot, ratePerSecond: number | null): string {
  const parts = [
    ...(snapshot.listing ? [`listing (${number.format(snapshot.listed)} so far)`] : []),
    `${number.format(snapshot.settled)} / ${number.format(snapshot.toSync)} synced`,
    `${number.format(snapshot.deadLettered)} failed`,
  ];
  if (ratePerSecond !== null) parts.push(`${ratePerSecond.toFixed(1)}/s`);
  const remaining = snapshot.toSync - snapshot.settled;
  if (!snapshot.listing && ratePerSecond !== null && ratePerSecond > 0 && remaining > 0) {
    parts.push(`ETA ${formatDuration(remaining / ratePerSecond)}`);
  }
  return `backfill: ${parts.join(' · ')}`;
}

/** Syncs per second over the last `windowMs`, from (time, settled) samples; null until it can tell. */
export function createRateMeter(windowMs = 30_000): {
  sample(at: number, settled: number): void;
  perSecond(): number | null;
} {
  const samples: Array<{ at: number; settled: number }> = [];
  return {
    sample(at, settled) {
      samples.push({ at, settled });
      while (samples.length > 2 && (samples[0]?.at ?? at) < at - windowMs) samples.shift();
    },
    perSecond() {
      const first = samples[0];
      const last = samples.at(-1);
      if (!first || !last || last.at - first.at < 1_000) return null;
      return ((last.settled - first.settled) * 1000) / (last.at - first.at);
    },
  };
}

export type ProgressReporter = {
  update(snapshot: ProgressSnapshot): void;
  /** Writes the last state and ends the line. */
  done(snapshot: ProgressSnapshot): void;
};

export function createProgressReporter(options: {
  write: (text: string) => void;
  /** A terminal: rewrite one line. Otherwise a line every `plainEveryMs`. */
  tty: boolean;
  plainEveryMs?: number;
  ttyEveryMs?: number;
  now?: () => number;
}): ProgressReporter {
  const now = options.now ?? Date.now;
  const every = options.tty ? (options.ttyEveryMs ?? 200) : (options.plainEveryMs ?? 10_000);
  const rate = createRateMeter();
  let lastWrite = Number.NEGATIVE_INFINITY;

  const line = (snapshot: ProgressSnapshot) => formatProgress(snapshot, rate.perSecond());
  // `\x1b[K` clears what a longer previous line left on the right.
  const render = (snapshot: ProgressSnapshot) =>
    options.write(options.tty ? `\r${line(snapshot)}\x1b[K` : `${line(snapshot)}\n`);

  return {
    update(snapshot) {
      const at = now();
      rate.sample(at, snapshot.settled);
      if (at - lastWrite < every) return;
      lastWrite = at;
      render(snapshot);
    },
    done(snapshot) {
      rate.sample(now(), snapshot.settled);
      render(snapshot);
      if (options.tty) options.write('\n');
    },
  };
}
