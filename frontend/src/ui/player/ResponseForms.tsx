// The response order forms of the team page: safe mode, ground segment, reconstitution, DIME
// (offered only for the team's own assets and spares; the ruleset's `responses` gives the choices).
import { useState } from 'preact/hooks';
import type { TeamView } from '../../types';
import { Field, OrderForm, pick } from './Orders';

type Props = { view: TeamView; disabled: boolean };

function SafeModeForm(props: Props) {
  const assets = props.view.assets.filter((a) => a.status === 'nominal' || a.status === 'safe_mode');
  const [asset, setAsset] = useState('');
  const assetId = pick(asset, assets.map((a) => a.id));
  const current = assets.find((a) => a.id === assetId);
  const enter = current?.status !== 'safe_mode';
  return (
    <OrderForm
      name="safemode"
      title="Safe mode"
      disabled={props.disabled || assets.length === 0}
      onDone={() => undefined}
      build={() => (assetId ? { kind: 'safe_mode', asset_id: assetId, enter } : 'Choose an asset.')}
    >
      <Field label="Asset">
        {(id) => (
          <select id={id} data-testid="order-safemode-asset" value={assetId} onChange={(e) => setAsset(e.currentTarget.value)}>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} (now {a.status === 'safe_mode' ? 'in safe mode' : 'nominal'})
              </option>
            ))}
          </select>
        )}
      </Field>
      <p class="muted small" data-testid="order-safemode-effect">
        {enter ? 'Enter safe mode: protected against the effects the ruleset names, at a reduced service.' : 'Leave safe mode: full service again.'}
      </p>
    </OrderForm>
  );
}

function GroundSegmentForm(props: Props) {
  const card = props.view.responses;
  const assets = props.view.assets.filter((a) => a.status !== 'destroyed');
  const actions = card?.ground_actions ?? [];
  const [asset, setAsset] = useState('');
  const [action, setAction] = useState('');
  const assetId = pick(asset, assets.map((a) => a.id));
  const chosen = pick(action, actions);
  return (
    <OrderForm
      name="ground"
      title="Ground segment"
      disabled={props.disabled || assets.length === 0}
      onDone={() => undefined}
      build={() =>
        assetId && chosen
          ? { kind: 'ground_segment', asset_id: assetId, action: chosen as 'harden' | 'restore_link' | 'switch_ground_station' }
          : 'Choose an asset and an action.'
      }
    >
      <Field label="Asset">
        {(id) => (
          <select id={id} data-testid="order-ground-asset" value={assetId} onChange={(e) => setAsset(e.currentTarget.value)}>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.status})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Action">
        {(id) => (
          <select id={id} data-testid="order-ground-action" value={chosen} onChange={(e) => setAction(e.currentTarget.value)}>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        )}
      </Field>
    </OrderForm>
  );
}

function ReconstituteForm(props: Props) {
  const spares = (props.view.responses?.spares ?? []).filter((s) => s.status === 'available');
  const [spare, setSpare] = useState('');
  const spareId = pick(spare, spares.map((s) => s.id));
  return (
    <OrderForm
      name="reconstitute"
      title="Reconstitution"
      disabled={props.disabled || spares.length === 0}
      onDone={() => undefined}
      build={() => (spareId ? { kind: 'reconstitute', spare_id: spareId } : 'No spare to activate.')}
    >
      <Field label="Spare">
        {(id) => (
          <select id={id} data-testid="order-reconstitute-spare" value={spareId} onChange={(e) => setSpare(e.currentTarget.value)}>
            {spares.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.mission ?? 'no mission'}, {s.lead_time_moves} move lead time)
              </option>
            ))}
          </select>
        )}
      </Field>
    </OrderForm>
  );
}

type Instrument = 'diplomatic_demarche' | 'sanctions' | 'information_campaign' | 'military_posture';

function DimeForm(props: Props) {
  const v = props.view;
  const instruments = (v.responses?.dime_instruments ?? []) as Instrument[];
  const nations = v.nations
    .filter((n) => n.id !== v.nation)
    .sort((a, b) => Number(b.side === 'red') - Number(a.side === 'red') || a.name.localeCompare(b.name));
  const [instrument, setInstrument] = useState('');
  const [target, setTarget] = useState('');
  const [text, setText] = useState('');
  const chosen = pick(instrument, instruments) as Instrument;
  const targetId = pick(target, nations.map((n) => n.id));
  return (
    <OrderForm
      name="dime"
      title="DIME response"
      disabled={props.disabled || instruments.length === 0}
      onDone={() => setText('')}
      build={() =>
        chosen && targetId ? { kind: 'dime', instrument: chosen, target_nation: targetId, text: text.trim() } : 'Choose an instrument and a nation.'
      }
    >
      <Field label="Instrument">
        {(id) => (
          <select id={id} data-testid="order-dime-instrument" value={chosen} onChange={(e) => setInstrument(e.currentTarget.value)}>
            {instruments.map((i) => (
              <option key={i} value={i}>
                {i.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Aimed at">
        {(id) => (
          <select id={id} data-testid="order-dime-target" value={targetId} onChange={(e) => setTarget(e.currentTarget.value)}>
            {nations.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({n.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Statement">
        {(id) => (
          <input id={id} data-testid="order-dime-text" maxLength={4000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        )}
      </Field>
    </OrderForm>
  );
}

/** The four response forms (the caller shows them when the ruleset defines responses). */
export function ResponseForms(props: Props) {
  return (
    <>
      <SafeModeForm {...props} />
      <GroundSegmentForm {...props} />
      <ReconstituteForm {...props} />
      <DimeForm {...props} />
    </>
  );
}
