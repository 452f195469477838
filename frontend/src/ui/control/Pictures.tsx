// Control's look at the pictures: the ground truth of every object in play (the view's truth_url),
// or what any played nation held after the latest move (its picture's url), as a virtualized table
// over the resource's columns: no DOM node per object.
import { useMemo, useState } from 'preact/hooks';
import { column, labelAt, valueAt, type Picture } from '../../picture/columns';
import { loadControlPicture } from '../../picture/load';
import { filterRows, missionText } from '../../picture/query';
import { Empty, fmtNum, Panel, SourceBadge, StatusBadge, useControlView, useSlices } from '../common';
import { PictureExport } from '../PictureExport';
import { VirtualTable } from '../VirtualTable';

const ROW_HEIGHT = 26;

function Row(props: { picture: Picture; row: number }) {
  const { picture: p, row: i } = props;
  const id = p.objectId[i] ?? '';
  const name = p.name[i] ?? id;
  const truth = p.kind === 'truth';
  return (
    <tr data-testid={`truth-row-${id}`}>
      <th scope="row" title={`${name} (${id})`}>
        {name}
        {name !== id && <span class="muted small"> {id}</span>}
      </th>
      <td>{labelAt(p, 'owner', i) || '—'}</td>
      <td>{missionText(p, i) || '—'}</td>
      <td>{labelAt(p, 'regime', i)}</td>
      {truth ? (
        <td>
          <StatusBadge status={labelAt(p, 'status', i) || 'nominal'} />
        </td>
      ) : (
        <td>
          <SourceBadge source={labelAt(p, 'source', i)} /> {fmtNum(column(p, 'sigma_km').values[i], 2)} km
        </td>
      )}
      <td class="num">{fmtNum(valueAt(column(p, 'lat'), i), 1)}</td>
      <td class="num">{fmtNum(valueAt(column(p, 'lon'), i), 1)}</td>
      <td class="num">{fmtNum(valueAt(column(p, 'alt_km'), i), 0)}</td>
    </tr>
  );
}

export function PicturesPanel() {
  const view = useControlView('pictureNotice', 'nations');
  const s = useSlices('truth');
  const store = s;
  const [filter, setFilter] = useState('');
  const played = view.nations.filter((n) => n.played);
  const picture = s.truth;
  const rows = useMemo(() => (picture ? filterRows(picture, filter) : new Uint32Array(0)), [picture, filter]);
  const state = s.truthState;
  const choose = (source: string) => {
    store.truthSource = source;
    loadControlPicture(store, view);
  };
  const truth = picture?.kind === 'truth';
  return (
    <Panel id="truth" title="Pictures: ground truth and each nation's" wide>
      <div class="toolbar">
        <label>
          Show{' '}
          <select data-testid="truth-source" value={store.truthSource} onChange={(e) => choose(e.currentTarget.value)}>
            <option value="truth">Ground truth (every object)</option>
            {played.map((n) => (
              <option key={n.id} value={n.id} disabled={!view.nations_state[n.id]?.picture}>
                What {n.name} ({n.id}) holds
              </option>
            ))}
          </select>
        </label>
        <label>
          Filter{' '}
          <input type="search" data-testid="truth-filter" value={filter} placeholder="id, name, owner, regime…" onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <span class="muted small" data-testid="truth-count" data-total={picture?.rows ?? 0} data-shown={rows.length} data-kind={picture?.kind ?? ''} data-move={picture?.move ?? ''}>
          {picture ? `${picture.kind === 'truth' ? 'ground truth' : `${picture.nation} picture`} after move ${picture.move}: ${picture.rows} objects` : ''}
          {picture && rows.length !== picture.rows ? ` · ${rows.length} match` : ''}
        </span>
        {picture && !truth && picture.nation && <PictureExport move={picture.move} nation={picture.nation} testId="truth-export" />}
      </div>
      {state.status === 'loading' && (
        <p class="muted" role="status" data-testid="truth-loading">
          Loading the picture after move {state.move}…
        </p>
      )}
      {state.status === 'error' && (
        <p class="form-error" role="alert" data-testid="truth-error">
          {state.message}
        </p>
      )}
      {!picture ? (
        <Empty>No picture yet: the first ones are built when the exercise starts.</Empty>
      ) : (
        <VirtualTable
          count={rows.length}
          rowHeight={ROW_HEIGHT}
          height={448}
          testId="truth-table"
          label={truth ? 'Ground truth: every object' : 'A nation\'s picture'}
          tableClass="picture"
          head={
            <tr>
              <th scope="col">Object</th>
              <th scope="col">Owner</th>
              <th scope="col">Mission</th>
              <th scope="col">Regime</th>
              <th scope="col">{truth ? 'Status' : 'Source, σ'}</th>
              <th scope="col" class="num">
                Lat °
              </th>
              <th scope="col" class="num">
                Lon °
              </th>
              <th scope="col" class="num">
                Alt km
              </th>
            </tr>
          }
          empty={
            <tr>
              <td colSpan={8} class="empty">
                No object matches “{filter}”.
              </td>
            </tr>
          }
          renderRow={(position) => {
            const row = rows[position] ?? 0;
            return <Row key={row} picture={picture} row={row} />;
          }}
        />
      )}
    </Panel>
  );
}
