'use strict';

const os = require('node:os');

const METRICS = ['wallMs', 'cpuMs', 'peakRssMb', 'eldMaxMs', 'eldP99Ms', 'rowsPerSec', 'exchangesPerClient', 'requests'];
const COLUMNS = ['wall ms', 'CPU ms', 'peak RSS MB', 'ELD max ms', 'ELD p99 ms', 'rows/s', 'exchanges/client', 'requests'];

// Each metric's median is taken on its own: the run with the median wall time need not be
// the run with the median RSS.
function median(values) {
  // A metric a workload does not have (rows/s of a list workload) stays NaN, shown as '-'.
  if (values.some((value) => Number.isNaN(value))) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medians(runs) {
  return Object.fromEntries(METRICS.map((metric) => [metric, median(runs.map((run) => run[metric]))]));
}

function summarize(samples, candidateImpl) {
  const results = {};
  for (const [workload, { baseline, candidate }] of Object.entries(samples)) {
    const base = medians(baseline);
    const cand = medians(candidate);
    results[workload] = {
      baseline: { impl: 'baseline', median: base, runs: baseline },
      candidate: { impl: candidateImpl, median: cand, runs: candidate },
      ratio: Object.fromEntries(METRICS.map((metric) => [metric, cand[metric] / base[metric]])),
    };
  }
  return results;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    // Other work on the machine skews both sides; a high figure here says to rerun.
    loadAverage1m: Number(os.loadavg()[0].toFixed(2)),
  };
}

const fixed = (value) =>
  !Number.isFinite(value) ? '-' : value >= 1e5 ? `${(value / 1e3).toFixed(0)}k` : value >= 100 ? value.toFixed(0) : value.toFixed(1);
const times = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : '-');

function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

function formatTable(results) {
  const lines = [row(['workload', 'impl', ...COLUMNS]), row(Array(COLUMNS.length + 2).fill('---'))];
  for (const [workload, result] of Object.entries(results)) {
    const candidateLabel = result.candidate.impl === 'baseline' ? 'baseline (as candidate)' : result.candidate.impl;
    lines.push(row([workload, 'baseline', ...METRICS.map((m) => fixed(result.baseline.median[m]))]));
    lines.push(row(['', candidateLabel, ...METRICS.map((m) => fixed(result.candidate.median[m]))]));
    lines.push(row(['', 'ratio', ...METRICS.map((m) => times(result.ratio[m]))]));
  }
  return lines.join('\n');
}

function formatTargets(targets) {
  const lines = [row(['target', 'value', 'limit', 'met']), row(['---', '---', '---', '---'])];
  for (const { name, value, limit, met } of targets) {
    lines.push(row([name, typeof value === 'number' ? times(value) : value, limit, met ? 'yes' : 'NO']));
  }
  return lines.join('\n');
}

function formatMachine(m) {
  return `${m.cpuCount} x ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, load average ${m.loadAverage1m}`;
}

module.exports = { summarize, machine, formatTable, formatTargets, formatMachine };
