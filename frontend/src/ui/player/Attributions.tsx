import { useView, Empty, Panel } from '../common';

export function Attributions() {
  const rows = useView('attributions').attributions;
  return (
    <Panel id="attributions" title="Public attributions">
      {rows.length === 0 ? (
        <Empty>No nation has made a public attribution.</Empty>
      ) : (
        <table class="data" data-testid="attributions-table">
          <thead>
            <tr>
              <th scope="col">Move</th>
              <th scope="col">Nation</th>
              <th scope="col">Accuses</th>
              <th scope="col">Likelihood</th>
              <th scope="col">Event</th>
              <th scope="col">Statement</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a, i) => (
              <tr key={i} data-testid={`attribution-row-${i}`}>
                <td>{a.move ?? '—'}</td>
                <td>{a.nation}</td>
                <td>{a.accused}</td>
                <td>{a.likelihood}</td>
                <td>{a.inject_id}</td>
                <td>{a.statement ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
