// The grouped AAR timeline (GET /api/timeline, wargame/aar/timeline.py) read, and laid out as
// table rows: a group's row, then its members while it is expanded.

export interface TimelineEntry {
  seq: number;
  move: number;
  at: string;
  scenario_time: string;
  actor: string;
  type: string;
  summary: string;
}

export interface TimelineGroup {
  key: string;
  type: string;
  move_first: number;
  move_last: number;
  seq_first: number;
  seq_last: number;
  count: number;
  summary: string;
  members: TimelineEntry[];
}

export interface TimelineAnswer {
  viewer: string;
  event_count: number;
  matched: number;
  groups: TimelineGroup[];
  types: string[];
  actors: string[];
  moves: number[];
}

export type TimelineRow =
  | { kind: 'group'; group: TimelineGroup; expanded: boolean }
  | { kind: 'member'; group: TimelineGroup; entry: TimelineEntry; last: boolean };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function entry(raw: unknown): TimelineEntry {
  const e = obj(raw);
  return {
    seq: num(e.seq),
    move: num(e.move),
    at: str(e.at),
    scenario_time: str(e.scenario_time),
    actor: str(e.actor),
    type: str(e.type),
    summary: str(e.summary),
  };
}

/** The server's answer, typed; anything missing reads as empty. */
export function parseTimeline(raw: unknown): TimelineAnswer {
  const a = obj(raw);
  return {
    viewer: str(a.viewer),
    event_count: num(a.event_count),
    matched: num(a.matched),
    groups: list(a.groups).map((g) => {
      const o = obj(g);
      return {
        key: str(o.key),
        type: str(o.type),
        move_first: num(o.move_first),
        move_last: num(o.move_last),
        seq_first: num(o.seq_first),
        seq_last: num(o.seq_last),
        count: num(o.count),
        summary: str(o.summary),
        members: list(o.members).map(entry),
      };
    }),
    types: list(a.types).map(str),
    actors: list(a.actors).map(str),
    moves: list(a.moves).map(num),
  };
}

/** Rows newest first: each group, and below an expanded group of several its members in seq order. */
export function timelineRows(groups: TimelineGroup[], expanded: ReadonlySet<string>): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const group = groups[i] as TimelineGroup;
    const open = group.count > 1 && expanded.has(group.key);
    rows.push({ kind: 'group', group, expanded: open });
    if (open) {
      group.members.forEach((m, k) => rows.push({ kind: 'member', group, entry: m, last: k === group.members.length - 1 }));
    }
  }
  return rows;
}

/** "3" or "3-4": the moves a group spans. */
export function movesLabel(group: TimelineGroup): string {
  return group.move_first === group.move_last ? String(group.move_first) : `${group.move_first}-${group.move_last}`;
}

/** "white_cell" -> "White cell", "team:USA" -> "USA" (as the AAR's summaries name actors). */
export function actorLabel(actor: string): string {
  if (actor.startsWith('team:')) return actor.slice(5);
  const words = actor.replace(/_/g, ' ');
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Unknown';
}
