// `vite-node scripts/check-fold.ts STREAMS.json`: fold each seat's recorded stream and compare it
// with its replayed view at every position (src/replay/foldCheck.ts). STREAMS.json holds
// {viewer: {start, events: [{pos, event}], views: {pos: view}}}; prints {viewer: FoldResult}
// as JSON and exits 1 if any seat's fold differs from its replay.
import { readFileSync } from 'node:fs';
import { foldAgainst, type FoldResult, type RecordedStream } from '../src/replay/foldCheck';
import type { View } from '../src/generated/protocol';

const path = process.argv[2];
if (!path) {
  console.error('usage: vite-node scripts/check-fold.ts STREAMS.json');
  process.exit(2);
}
const streams = JSON.parse(readFileSync(path, 'utf8')) as Record<string, RecordedStream & { views: Record<string, View> }>;
const results: Record<string, FoldResult> = {};
for (const [viewer, stream] of Object.entries(streams)) results[viewer] = foldAgainst(stream, stream.views);
console.log(JSON.stringify(results));
process.exit(Object.values(results).some((r) => r.mismatch) ? 1 : 0);
