'use strict';

// The acceptance targets. Ratios are candidate / baseline medians from the same run,
// never from figures recorded on another day or machine.

const LABELS = { wallMs: 'wall', cpuMs: 'CPU', peakRssMb: 'peak RSS', eldMaxMs: 'event-loop delay max', rowsPerSec: 'rows/s' };

function ratioAtMost(workload, metric, limit) {
  return {
    name: `${workload} ${LABELS[metric]} ratio`,
    needs: [workload],
    limit: `<= ${limit}x`,
    value: (results) => results[workload].ratio[metric],
    met: (value) => value <= limit,
  };
}

function ratioAtLeast(workload, metric, limit) {
  return {
    name: `${workload} ${LABELS[metric]} ratio`,
    needs: [workload],
    limit: `>= ${limit}x`,
    value: (results) => results[workload].ratio[metric],
    met: (value) => value >= limit,
  };
}

const TARGETS = [
  ratioAtMost('bigList', 'wallMs', 0.6),
  ratioAtMost('bigList', 'eldMaxMs', 0.5),
  ratioAtMost('bigList', 'peakRssMb', 1.0),
  ratioAtMost('smallSeq', 'wallMs', 0.7),
  ratioAtMost('smallSeq', 'cpuMs', 0.7),
  ratioAtMost('smallConc', 'wallMs', 0.7),
  ratioAtMost('smallConc', 'cpuMs', 0.7),
  {
    // Every run, not the median: a single stray exchange is already a miss, and so is a
    // token shared between clients (tokens belong to one client instance).
    name: 'coldStart token exchanges per client',
    needs: ['coldStart'],
    limit: '= 1 in every run',
    value: (results) => spread(results.coldStart.candidate.runs.map((run) => run.exchangesPerClient)),
    met: (value) => value === '1',
  },
  ratioAtMost('coldStart', 'wallMs', 0.7),
  {
    name: 'iterate peak RSS / one-page peak RSS',
    needs: ['iterate', 'onePage'],
    limit: '< 1.5x',
    value: (results) => results.iterate.candidate.median.peakRssMb / results.onePage.candidate.median.peakRssMb,
    met: (value) => value < 1.5,
  },
  // NDJSON data streams (issue 10).
  ratioAtLeast('streamRows', 'rowsPerSec', 2),
  ratioAtMost('streamRows', 'eldMaxMs', 0.5),
  ratioAtMost('streamRows', 'peakRssMb', 1.0),
  ratioAtLeast('streamRowsLarge', 'rowsPerSec', 1.5),
  ratioAtMost('streamRowsLarge', 'eldMaxMs', 0.5),
  ratioAtMost('streamRowsLarge', 'peakRssMb', 1.0),
  {
    // Flat memory: ten times the rows, (about) the same peak.
    name: 'streamRows peak RSS / streamRowsShort peak RSS',
    needs: ['streamRows', 'streamRowsShort'],
    limit: '<= 1.1x',
    value: (results) => results.streamRows.candidate.median.peakRssMb / results.streamRowsShort.candidate.median.peakRssMb,
    met: (value) => value <= 1.1,
  },
  ratioAtLeast('saveTo', 'rowsPerSec', 4),
];

function spread(values) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}..${high}`;
}

function evaluateTargets(results) {
  return TARGETS.filter((target) => target.needs.every((workload) => workload in results)).map((target) => {
    const value = target.value(results);
    return { name: target.name, value, limit: target.limit, met: target.met(value) };
  });
}

module.exports = { evaluateTargets };
