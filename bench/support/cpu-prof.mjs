// Diagnosis only (BENCH_CPU_PROF=<dir>): loaded with --import through NODE_OPTIONS, so it reaches
// processes the bench does not start itself (Switchboard nodes, Socket.IO workers), where
// --cpu-prof cannot go (NODE_OPTIONS refuses it). Profiles the whole life of the process and
// writes <dir>/<pid>-<script>.cpuprofile when it exits normally (a SIGKILLed process writes nothing).
import inspector from 'node:inspector';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  let written = false;
  process.on('exit', () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (err, res) => {
      if (err) return;
      fs.writeFileSync(path.join(dir, `${process.pid}-${path.basename(process.argv[1] || 'node')}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
