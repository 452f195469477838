import { useState } from 'preact/hooks';
import type { SharingLevel } from '../../generated/protocol';
import { useView, Empty, Panel, playedPartners, useCommand } from '../common';

const LEVELS: SharingLevel[] = ['withhold', 'full', 'delayed', 'degraded'];
const HELP: Record<string, string> = {
  withhold: 'nothing',
  full: 'all tracks, current accuracy',
  delayed: 'tracks from an earlier move',
  degraded: 'tracks with inflated error',
};

function SharingRow(props: { partner: string; name: string; level: string; inbound: string | undefined; disabled: boolean }) {
  const [busy, run] = useCommand();
  const [wanted, setWanted] = useState<string | null>(null);
  const id = `sharing-select-${props.partner}`;
  return (
    <tr data-testid={`sharing-row-${props.partner}`}>
      <th scope="row">
        <label for={id}>{props.name}</label>
      </th>
      <td>
        <select
          id={id}
          data-testid={`sharing-${props.partner}`}
          value={busy && wanted ? wanted : props.level}
          disabled={busy || props.disabled}
          title={HELP[props.level]}
          onChange={async (e) => {
            const level = e.currentTarget.value as SharingLevel;
            setWanted(level);
            await run({ type: 'set_sharing', partner: props.partner, level });
            setWanted(null);
          }}
        >
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </td>
      <td data-testid={`inbound-${props.partner}`} class={`level-${props.inbound ?? 'withhold'}`}>
        {props.inbound ?? 'withhold'}
      </td>
    </tr>
  );
}

export function SharingPanel() {
  const v = useView('sharing', 'meta');
  const me = v.nation;
  const sharing = v.sharing ?? {};
  const inbound = v.inbound_sharing ?? {};
  const ids = new Set([...playedPartners(v, me).map((n) => n.id), ...Object.keys(sharing)]);
  ids.delete(me ?? '');
  const partners = [...ids].sort();
  const ended = v.phase === 'ended';
  return (
    <Panel id="sharing" title="Sharing policy">
      {partners.length === 0 ? (
        <Empty>No partners in this exercise.</Empty>
      ) : (
        <table class="data" data-testid="sharing-table">
          <thead>
            <tr>
              <th scope="col">Partner</th>
              <th scope="col">We share</th>
              <th scope="col">They share with us</th>
            </tr>
          </thead>
          <tbody>
            {partners.map((p) => (
              <SharingRow
                key={p}
                partner={p}
                name={v.nations.find((n) => n.id === p)?.name ?? p}
                level={sharing[p] ?? 'withhold'}
                inbound={inbound[p]}
                disabled={ended}
              />
            ))}
          </tbody>
        </table>
      )}
      <p class="muted small">
        full: current tracks · delayed: an earlier move's tracks · degraded: inflated error · withhold: nothing. Partners'
        pictures are rebuilt when a move is adjudicated.
      </p>
    </Panel>
  );
}
