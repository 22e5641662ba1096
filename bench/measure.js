'use strict';

const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

const MB = 1024 * 1024;

// CPU is the whole process (user + system, every thread), so work a native client moves off
// the JS thread is still paid for here. Peak RSS is the kernel's high-water mark, which a
// timer cannot miss; the sampled peak is kept beside it as a cross-check.
async function measure(work) {
  const rssBefore = process.memoryUsage.rss();
  let sampledPeak = rssBefore;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  }, 10);
  const delay = monitorEventLoopDelay({ resolution: 1 });

  delay.enable();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const facts = await work();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  delay.disable();
  clearInterval(sampler);

  return {
    wallMs: wall,
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    sampledPeakRssMb: Math.max(sampledPeak, process.memoryUsage.rss()) / MB,
    rssBeforeMb: rssBefore / MB,
    eldMaxMs: delay.max / 1e6,
    eldP99Ms: delay.percentile(99) / 1e6,
    // Few samples mean the loop seldom reached its timers: p99 then says little beyond max.
    eldSamples: delay.count,
    facts,
  };
}

module.exports = { measure };
