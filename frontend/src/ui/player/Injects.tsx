import { MarkingChip } from '../Marking';
import { VirtualTable } from '../VirtualTable';
import { useView, Empty, fmtNum, fmtPc, objectName, Panel } from '../common';

export function InjectFeed(props: { title?: string }) {
  const injects = [...(useView('injects').injects ?? [])].sort(
    (a, b) => (b.released_move ?? 0) - (a.released_move ?? 0) || b.serial - a.serial,
  );
  return (
    <Panel id="injects" title={props.title ?? 'Injects'}>
      {
        <ol class="feed scroll" data-testid="inject-feed" aria-label="Released injects, newest first">
          {injects.length === 0 && <li class="empty">No injects released to you yet.</li>}
          {injects.map((i) => (
            <li key={i.id} data-testid={`inject-${i.id}`} class={`inject type-${i.type}`}>
              <div class="inject-head">
                <strong>{i.title}</strong>
                <MarkingChip releasability={i.releasability} releasableTo={i.releasable_to} testId={`inject-marking-${i.id}`} />
              </div>
              <div class="muted small">
                From {i.sender} · {i.channel} · {i.type.replace(/_/g, ' ')}
                {i.released_move != null ? ` · move ${i.released_move}` : ''} · {i.id}
              </div>
              {i.text && <p class="inject-text">{i.text}</p>}
            </li>
          ))}
        </ol>
      }
    </Panel>
  );
}

export function Warnings() {
  const v = useView('warnings');
  const warnings = [...(v.warnings ?? [])].reverse();
  return (
    <Panel id="warnings" title="Warnings">
      {warnings.length === 0 ? (
        <Empty>No conjunction or close-approach warnings.</Empty>
      ) : (
        <VirtualTable
          count={warnings.length}
          rowHeight={26}
          height={320}
          testId="warnings-table"
          label="Conjunction and close-approach warnings, newest first"
          colgroup={
            <colgroup>
              <col style={{ width: '17%' }} />
              <col style={{ width: '23%' }} />
              <col style={{ width: '23%' }} />
              <col style={{ width: '13%' }} />
              <col style={{ width: '12%' }} />
              <col style={{ width: '12%' }} />
            </colgroup>
          }
          head={
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Our asset</th>
                <th scope="col">Other object</th>
                <th scope="col" class="num">
                  Miss / range km
                </th>
                <th scope="col" class="num">
                  Pc
                </th>
                <th scope="col" class="num">
                  Move
                </th>
              </tr>
          }
          renderRow={(i) => {
            const w = warnings[i]!;
            return (
              <tr key={i} data-testid={`warning-row-${i}`} class={w.kind === 'conjunction' ? 'warn' : ''}>
                <td>{w.kind === 'conjunction' ? 'Conjunction' : 'Close approach'}</td>
                <td title={w.asset_id}>{objectName(v, w.asset_id)}</td>
                <td title={w.other_id}>{objectName(v, w.other_id)}</td>
                <td class="num">{fmtNum(w.miss_km, 2)}</td>
                <td class="num">{fmtPc(w.pc)}</td>
                <td class="num">{w.move}</td>
              </tr>
            );
          }}
        />
      )}
    </Panel>
  );
}
