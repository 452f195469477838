import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchTimeline, type TimelineQuery } from '../../api';
import { conn, store } from '../../app';
import { fmtUtc, Panel, useView } from '../common';
import { VirtualTable } from '../VirtualTable';
import { actorLabel, movesLabel, parseTimeline, timelineRows, type TimelineAnswer, type TimelineRow } from './timelineData';

/** After a live event, wait this long for the rest of its burst before fetching the timeline. */
const REFRESH_AFTER_MS = 1500;

const CONTROL_SEAT = 'facilitator';

function seatLabel(viewer: string): string {
  if (viewer === CONTROL_SEAT) return 'ground truth (control)';
  return viewer.startsWith('team:') ? `${viewer.slice(5)} team` : actorLabel(viewer);
}

/**
 * The AAR timeline as one seat saw it (GET /api/timeline: the seat's projected events, grouped on
 * the server, wargame/aar/timeline.py): a move's pictures, a burst of warnings and other runs of
 * one type are one row that expands to its events. Filters apply on the server, before grouping.
 * Live events refetch it, once their burst is over.
 */
export function Timeline() {
  const view = useView('meta');
  const [query, setQuery] = useState<TimelineQuery>({ viewer: CONTROL_SEAT });
  const [answer, setAnswer] = useState<TimelineAnswer | null>(null);
  const [status, setStatus] = useState('Loading the timeline…');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const request = useRef(0);
  const latest = useRef(query);
  latest.current = query;

  const load = async (q: TimelineQuery) => {
    const mine = ++request.current;
    try {
      const data = parseTimeline(await fetchTimeline(q));
      if (mine !== request.current) return; // a newer request is on its way
      setAnswer(data);
      setStatus(`as ${seatLabel(data.viewer)} saw it`);
    } catch (err) {
      if (mine !== request.current) return;
      const message = err instanceof Error ? err.message : String(err);
      setStatus(`Could not load the timeline: ${message}`);
      store.notify('error', `Timeline: ${message}`);
    }
  };

  useEffect(() => {
    void load(query);
  }, [query.viewer, query.type, query.actor, query.move]);

  useEffect(() => {
    let timer = 0;
    const off = conn().onEvent(() => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void load(latest.current), REFRESH_AFTER_MS);
    });
    return () => {
      off();
      window.clearTimeout(timer);
    };
  }, []);

  const set = (key: keyof TimelineQuery) => (e: { currentTarget: HTMLSelectElement }) => {
    const next = { ...latest.current, [key]: e.currentTarget.value };
    // In the same render as the new choice: rows of another seat or filter never stand under it.
    setAnswer(null);
    setStatus(`Loading the timeline as ${seatLabel(next.viewer)} saw it…`);
    setQuery(next);
  };
  const toggle = (key: string) => {
    const next = new Set(expanded);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setExpanded(next);
  };

  const groups = answer?.groups ?? [];
  const rows: TimelineRow[] = timelineRows(groups, expanded);
  const seats = [CONTROL_SEAT, ...view.nations.filter((n) => n.played).map((n) => `team:${n.id}`), 'observer'];
  const withCurrent = (values: string[], current: string | undefined) =>
    current && !values.includes(current) ? [...values, current] : values;
  const folded = groups.filter((g) => g.count > 1);

  return (
    <Panel id="timeline" title="Timeline" wide>
      <div class="toolbar">
        <label>
          Seen by{' '}
          <select data-testid="timeline-seat" value={query.viewer} onChange={set('viewer')}>
            {seats.map((s) => (
              <option key={s} value={s}>
                {seatLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor{' '}
          <select data-testid="timeline-filter-actor" value={query.actor ?? ''} onChange={set('actor')}>
            <option value="">all actors</option>
            {withCurrent(answer?.actors ?? [], query.actor).map((a) => (
              <option key={a} value={a}>
                {actorLabel(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Event type{' '}
          <select data-testid="timeline-filter-type" value={query.type ?? ''} onChange={set('type')}>
            <option value="">all types</option>
            {withCurrent(answer?.types ?? [], query.type).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Move{' '}
          <select data-testid="timeline-filter-move" value={query.move ?? ''} onChange={set('move')}>
            <option value="">all moves</option>
            {withCurrent((answer?.moves ?? []).map(String), query.move).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="timeline-expand-all" disabled={folded.length === 0} onClick={() => setExpanded(new Set(folded.map((g) => g.key)))}>
          Expand all
        </button>
        <button type="button" data-testid="timeline-collapse-all" disabled={expanded.size === 0} onClick={() => setExpanded(new Set())}>
          Collapse all
        </button>
        <button type="button" data-testid="timeline-reload" onClick={() => void load(latest.current)}>
          Refresh
        </button>
        <span class="muted small" data-testid="timeline-count" data-viewer={answer?.viewer ?? ''} data-groups={groups.length} data-events={answer?.matched ?? 0}>
          {answer ? `${groups.length} rows for ${answer.matched} of ${answer.event_count} events` : ''} · {status}
        </span>
      </div>
      <VirtualTable
        count={rows.length}
        rowHeight={26}
        height={448}
        testId="timeline"
        label="Timeline, newest first"
        tableClass="timeline"
        colgroup={
          <colgroup>
            <col style={{ width: '7%' }} />
            <col style={{ width: '8%' }} />
            <col style={{ width: '5%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '14%' }} />
            <col style={{ width: '44%' }} />
          </colgroup>
        }
        head={
          <tr>
            <th scope="col">Events</th>
            <th scope="col" class="num">
              Seq
            </th>
            <th scope="col" class="num">
              Move
            </th>
            <th scope="col">Scenario time</th>
            <th scope="col">Actor</th>
            <th scope="col">Type</th>
            <th scope="col">What happened</th>
          </tr>
        }
        empty={
          <tr>
            <td colSpan={7} class="empty">
              {answer ? 'No events match.' : status}
            </td>
          </tr>
        }
        renderRow={(i) => {
          const row = rows[i]!;
          return <Row key={row.kind === 'member' ? `m-${row.entry.seq}` : row.group.key} row={row} onToggle={toggle} />;
        }}
      />
    </Panel>
  );
}

function Row(props: { row: TimelineRow; onToggle: (key: string) => void }) {
  const { row } = props;
  if (row.kind === 'member') {
    const e = row.entry;
    return (
      <tr key={`m-${e.seq}`} data-testid={`timeline-row-${e.seq}`} data-type={e.type} data-move={e.move} data-group={row.group.key} class={`member ev-${e.type}`}>
        <td class="muted" aria-hidden="true">
          {row.last ? '└' : '├'}
        </td>
        <td class="num">{e.seq}</td>
        <td class="num">{e.move}</td>
        <td>{fmtUtc(e.scenario_time)}</td>
        <td>{actorLabel(e.actor)}</td>
        <td>{e.type}</td>
        <td title={e.summary}>{e.summary}</td>
      </tr>
    );
  }
  const g = row.group;
  const first = g.members[0];
  if (g.count === 1 && first) {
    return (
      <tr key={g.key} data-testid={`timeline-row-${first.seq}`} data-type={g.type} data-move={first.move} class={`ev-${g.type}`}>
        <td />
        <td class="num">{first.seq}</td>
        <td class="num">{first.move}</td>
        <td>{fmtUtc(first.scenario_time)}</td>
        <td>{actorLabel(first.actor)}</td>
        <td>{g.type}</td>
        <td title={g.summary}>{g.summary}</td>
      </tr>
    );
  }
  const actors = Array.from(new Set(g.members.map((m) => actorLabel(m.actor))));
  return (
    <tr
      key={g.key}
      data-testid={`timeline-group-${g.key}`}
      data-type={g.type}
      data-move={g.move_first}
      data-count={g.count}
      data-expanded={row.expanded ? 'true' : 'false'}
      class={`group ev-${g.type}`}
    >
      <td>
        <button
          type="button"
          class="small group-toggle"
          aria-expanded={row.expanded}
          aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${g.count} events: ${g.summary}`}
          data-testid={`timeline-toggle-${g.key}`}
          onClick={() => props.onToggle(g.key)}
        >
          {row.expanded ? '▾' : '▸'} {g.count.toLocaleString('en-US')}
        </button>
      </td>
      <td class="num">
        {g.seq_first}–{g.seq_last}
      </td>
      <td class="num">{movesLabel(g)}</td>
      <td>{fmtUtc(first?.scenario_time)}</td>
      <td>{actors.length === 1 ? actors[0] : `${actors.length} actors`}</td>
      <td>{g.type}</td>
      <td title={g.summary}>
        <strong>{g.summary}</strong>
      </td>
    </tr>
  );
}
