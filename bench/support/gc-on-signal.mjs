// Bench only: loaded with --import through NODE_OPTIONS (with --expose-gc) into every server process
// the bench starts and, through the inherited environment, their nodes and workers. On SIGUSR2 the
// process runs a full garbage collection, then writes `<count> <rss before> <rss after>` to
// $BENCH_GC_DIR/<pid> (renamed into place, so a reader never sees half a line); `0 0 0` is written as
// soon as the handler is installed, and the bench signals no process before that. The bench asks every
// server process for a GC before each memory reading and waits for these answers (bench/gc.ts).
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const dir = process.env.BENCH_GC_DIR;
if (dir && typeof globalThis.gc === 'function') {
  const file = path.join(dir, String(process.pid));
  const answer = (line) => {
    fs.writeFileSync(`${file}.tmp`, line);
    fs.renameSync(`${file}.tmp`, file);
  };
  let count = 0;
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage.rss();
    globalThis.gc();
    count++;
    answer(`${count} ${before} ${process.memoryUsage.rss()}`);
  });
  answer('0 0 0');
  process.on('exit', () => fs.rmSync(file, { force: true }));
}
