import { useEffect, useRef, useState } from 'preact/hooks';
import { loadLog } from '../../api';
import { conn, store } from '../../app';
import type { ProjectedEvent } from '../../generated/protocol';
import { describeEvent } from '../describe';
import { fmtUtc, Panel, useView } from '../common';
import { VirtualTable } from '../VirtualTable';

/**
 * The whole log (loaded over HTTP in pages of 500), with live events merged in by position (a
 * control seat's position is the log's seq). After a resync snapshot the log is fetched again
 * from the last HTTP cursor, so gaps heal.
 */
export function Timeline() {
  const view = useView('feed', 'meta');
  const live = store.feed;
  const events = useRef(new Map<number, ProjectedEvent>());
  const cursor = useRef(0);
  const loading = useRef(false);
  const again = useRef(false);
  const [, setVersion] = useState(0);
  const [status, setStatus] = useState('Loading the log…');
  const [team, setTeam] = useState('');
  const [type, setType] = useState('');
  const [move, setMove] = useState('');

  const fetchLog = async () => {
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    try {
      cursor.current = await loadLog(cursor.current, (page, lastPos) => {
        for (const e of page) events.current.set(e.pos, e.event);
        setStatus(`history loaded to seq ${lastPos}, live events follow`);
        setVersion((x) => x + 1);
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setStatus(`Could not load the log: ${message}`);
      store.notify('error', `Timeline: ${message}`);
    } finally {
      loading.current = false;
    }
    if (again.current) {
      again.current = false;
      void fetchLog();
    }
  };

  useEffect(() => {
    void fetchLog();
    // A snapshot (after a reconnect or a resync) may stand in for events we never received live.
    return conn().onEvent((kind, pos) => {
      if (kind === 'snapshot' && pos > cursor.current) void fetchLog();
    });
  }, []);

  for (const e of live) events.current.set(e.pos, e.event);
  const all = [...events.current.entries()].sort((a, b) => a[0] - b[0]).map(([seq, event]) => ({ seq, event }));
  const types = Array.from(new Set(all.map((e) => e.event.type))).sort();
  const moves = Array.from(new Set(all.map((e) => e.event.move))).sort((a, b) => a - b);
  const teams = view.nations.filter((n) => n.played).map((n) => n.id);
  const filtered = all.filter(
    ({ event: e }) =>
      (!team || (e.audience ?? []).includes(team)) && (!type || e.type === type) && (!move || String(e.move) === move),
  );
  const visible = filtered.reverse();

  return (
    <Panel id="timeline" title="Timeline" wide>
      <div class="toolbar">
        <label>
          Team{' '}
          <select data-testid="timeline-filter-team" value={team} onChange={(e) => setTeam(e.currentTarget.value)}>
            <option value="">all audiences</option>
            {teams.map((t) => (
              <option key={t} value={`team:${t}`}>
                team:{t}
              </option>
            ))}
            <option value="control">control</option>
            <option value="all">broadcast (all)</option>
          </select>
        </label>
        <label>
          Event type{' '}
          <select data-testid="timeline-filter-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">all types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Move{' '}
          <select data-testid="timeline-filter-move" value={move} onChange={(e) => setMove(e.currentTarget.value)}>
            <option value="">all moves</option>
            {moves.map((m) => (
              <option key={m} value={String(m)}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="timeline-reload" onClick={() => void fetchLog()}>
          Fetch new
        </button>
        <span class="muted small" data-testid="timeline-count">
          {filtered.length} of {all.length} events · {status}
        </span>
      </div>
      <VirtualTable
        count={visible.length}
        rowHeight={26}
        height={448}
        testId="timeline"
        label="Timeline, newest first"
        tableClass="timeline"
        colgroup={
          <colgroup>
            <col style={{ width: '6%' }} />
            <col style={{ width: '5%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '14%' }} />
            <col style={{ width: '38%' }} />
            <col style={{ width: '15%' }} />
          </colgroup>
        }
        head={
              <tr>
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
                <th scope="col">Audience</th>
              </tr>
        }
        empty={
          <tr>
            <td colSpan={7} class="empty">
              No events match.
            </td>
          </tr>
        }
        renderRow={(i) => {
          const { seq, event: e } = visible[i]!;
          const text = describeEvent(e);
          const audience = (e.audience ?? []).join(', ');
          return (
            <tr key={seq} data-testid={`timeline-row-${seq}`} data-type={e.type} data-move={e.move} class={`ev-${e.type}`}>
              <td class="num">{seq}</td>
              <td class="num">{e.move}</td>
              <td>{fmtUtc(e.scenario_time)}</td>
              <td>
                {e.actor}
                {e.member ? ` (${e.member})` : ''}
              </td>
              <td>{e.type}</td>
              <td title={text}>{text}</td>
              <td class="small" title={audience}>
                {audience}
              </td>
            </tr>
          );
        }}
      />
    </Panel>
  );
}
