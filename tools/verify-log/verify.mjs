#!/usr/bin/env node
// Checks a wargame event log exported as JSONL (`wargame exercise export-log EXERCISE`), written
// apart from the server so that anyone can check a log without trusting its Python code:
// every line's exact bytes, every event's hash by its recipe, the hash chain, seq continuity,
// and, given the head anchored earlier, that the log still holds it (not cut short or rewritten).
// The format and recipes are in docs/log-format.md.
//
//   node verify.mjs LOG.jsonl [--expect-head SEQ:HASH]
//
// Exit 0 and "ok: N events, head SEQ:HASH" when the log holds; exit 1 and "LOG.jsonl:LINE: why"
// at the first bad line; exit 2 for a usage error.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import canonicalize from 'canonicalize';

export const RFC8785 = 'rfc8785-sha256';
export const PYTHON_JSON = 'python-json-sha256';
const GENESIS = '0'.repeat(64);
const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;
// The whole line is `{"hash":H,"recipe":R,"event":T}` with T the exact text H hashes: its
// prefix is fixed ASCII, so T is taken by position and hashed byte for byte.
const PREFIX = /^\{"hash":"([0-9a-f]{64})","recipe":"([a-z0-9-]+)","event":/;
const decoder = new TextDecoder('utf-8', { fatal: true });

class BadLine extends Error {
  constructor(line, message) {
    super(message);
    this.line = line;
  }
}

/** `SEQ:HASH` as {seq, hash}; throws naming what is wrong. */
export function parseHead(text) {
  const match = /^([1-9][0-9]*):([0-9a-f]{64})$/.exec(text.trim());
  if (!match) throw new Error(`expected head ${JSON.stringify(text)}: write SEQ:HASH (HASH 64 lowercase hex digits)`);
  return { seq: Number(match[1]), hash: match[2] };
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The lines of an export (Uint8Array views), each ended by a newline, none empty. */
function* lines(bytes) {
  let start = 0;
  let number = 0;
  while (start < bytes.length) {
    number += 1;
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) throw new BadLine(number, 'the last line has no newline: the file was cut short');
    if (end === start) throw new BadLine(number, 'empty line');
    yield [number, bytes.subarray(start, end)];
    start = end + 1;
  }
}

/** Checks one line; returns its event (parsed) with its hash. */
function checkLine(number, line) {
  let text;
  try {
    text = decoder.decode(line);
  } catch {
    throw new BadLine(number, 'not UTF-8');
  }
  const prefix = PREFIX.exec(text);
  if (!prefix) throw new BadLine(number, 'not a log line: {"hash":"<64 hex>","recipe":"<recipe>","event":{...}}');
  const [head, hash, recipe] = prefix;
  if (recipe !== RFC8785 && recipe !== PYTHON_JSON) throw new BadLine(number, `unknown recipe ${recipe}`);
  if (line[line.length - 1] !== CLOSE_BRACE) throw new BadLine(number, 'the line does not end with the event and "}"');
  const eventBytes = line.subarray(head.length, line.length - 1); // the prefix is ASCII: bytes = characters
  if (sha256(eventBytes) !== hash) throw new BadLine(number, "the event's text does not hash to its hash");
  const eventText = text.slice(head.length, -1);
  let event;
  try {
    event = JSON.parse(eventText);
  } catch {
    throw new BadLine(number, 'the event is not JSON');
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new BadLine(number, 'the event is not a JSON object');
  const named = event.hash_recipe ?? PYTHON_JSON;
  if (named !== recipe) throw new BadLine(number, `the event says recipe ${named}, the line ${recipe}`);
  if (recipe === RFC8785) {
    let canonical;
    try {
      canonical = canonicalize(event);
    } catch (error) {
      throw new BadLine(number, `the event cannot be canonicalized: ${error.message}`);
    }
    if (canonical !== eventText) throw new BadLine(number, 'the event is not in RFC 8785 canonical form');
  }
  return { event, hash };
}

/**
 * Checks an exported log's bytes. Returns {events, head: {seq, hash}, exerciseId}; throws a
 * BadLine (with `.line`) at the first line that does not hold, or for an expected head the log
 * does not hold (line: the line after the last).
 */
export function verifyBytes(bytes, { expectHead = null } = {}) {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let exerciseId = null;
  let seenAtHead = null;
  let count = 0;
  for (const [number, line] of lines(bytes)) {
    const { event, hash } = checkLine(number, line);
    if (exerciseId === null) exerciseId = event.exercise_id;
    if (event.exercise_id !== exerciseId) throw new BadLine(number, `event of exercise ${event.exercise_id}, not ${exerciseId}`);
    if (event.seq !== expectedSeq) throw new BadLine(number, `seq ${event.seq}, expected ${expectedSeq}`);
    if (event.prev_hash !== prevHash) throw new BadLine(number, `seq ${event.seq}: prev_hash does not match the previous event`);
    if (expectHead && event.seq === expectHead.seq) seenAtHead = hash;
    expectedSeq += 1;
    prevHash = hash;
    count = number;
  }
  if (count === 0) throw new BadLine(1, 'no events');
  const last = { seq: expectedSeq - 1, hash: prevHash };
  if (expectHead) {
    if (last.seq < expectHead.seq) {
      throw new BadLine(count + 1, `the log ends at seq ${last.seq}, before the expected head ${expectHead.seq}: events were cut from its end`);
    }
    if (seenAtHead !== expectHead.hash) {
      throw new BadLine(count + 1, `event ${expectHead.seq} has hash ${seenAtHead}, not the expected head's ${expectHead.hash}: the log was rewritten`);
    }
  }
  return { events: count, head: last, exerciseId };
}

function main(argv) {
  const args = argv.slice(2);
  let expectHead = null;
  let path = null;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--expect-head') {
      expectHead = parseHead(args[i + 1] ?? '');
      i += 1;
    } else if (path === null && !args[i].startsWith('--')) {
      path = args[i];
    } else {
      throw new Error(`unexpected argument ${args[i]}`);
    }
  }
  if (path === null) throw new Error('usage: node verify.mjs LOG.jsonl [--expect-head SEQ:HASH]');
  const bytes = readFileSync(path === '-' ? 0 : path);
  try {
    const result = verifyBytes(bytes, { expectHead });
    process.stdout.write(`ok: ${result.events} events of exercise ${result.exerciseId}, head ${result.head.seq}:${result.head.hash}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BadLine)) throw error;
    process.stderr.write(`${path}:${error.line}: ${error.message}\n`);
    return 1;
  }
}

function isMain() {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    process.exitCode = main(process.argv);
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
  }
}
