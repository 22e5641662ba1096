'use strict';
// `owox-api markdown to-html`: the server's Markdown renderer (the one report emails use).

const fs = require('node:fs');
const { Argument, Option } = require('commander');
const { UsageError } = require('../errors.js');

/** The Markdown: the argument, else --file, else stdin when it is not a terminal. */
function markdownOf(ctx) {
  const { markdown } = ctx.args;
  const { file } = ctx.options;
  if (markdown !== undefined && file !== undefined) throw new UsageError('markdown to-html takes the Markdown as an argument or --file, not both');
  if (markdown !== undefined) return markdown;
  const source = file ?? (process.stdin.isTTY ? undefined : '-');
  if (source === undefined) throw new UsageError('markdown to-html needs the Markdown: as an argument, with --file, or on stdin');
  try {
    return fs.readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${source === '-' ? 'stdin' : source}: ${error.code ?? error.message}`);
  }
}

module.exports = [
  {
    name: 'markdown to-html',
    summary: 'Render Markdown to HTML on the server; prints the HTML (--format json: a JSON string)',
    arguments: [new Argument('[markdown]', 'the Markdown text (else --file, else stdin)')],
    options: [new Option('--file <path>', 'read the Markdown from this file ("-" for stdin)')],
    output: 'text',
    examples: ["owox-api markdown to-html '# Weekly report'", 'owox-api markdown to-html --file notes.md > notes.html'],
    run: (ctx) => ctx.client().markdown.parseToHtml({ markdown: markdownOf(ctx) }, { signal: ctx.signal }),
  },
];
