import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { SubmitOrder } from '../../generated/protocol';
import type { TeamView } from '../../types';
import { describeOrder } from '../describe';
import { store } from '../../app';
import { findObject, type ObjectEntry } from '../../objects';
import { CommandError, Empty, Panel, playedPartners, useCommand, useId, useSlices, useTeamView } from '../common';
import { inputsClosed } from './ReleasePickers';
import { ObjectSearch } from '../ObjectSearch';
import { CounterspaceForm } from './Counterspace';
import { ResponseForms } from './ResponseForms';

type OrderPayload = SubmitOrder['order'];

/** Pick `current` if still offered, else the first option (keeps selects valid as the view changes). */
export function pick(current: string, options: string[]): string {
  return options.includes(current) ? current : (options[0] ?? '');
}

export function Field(props: { label: string; children: (id: string) => ComponentChildren }) {
  const id = useId('f');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id)}
    </div>
  );
}

/** Shared frame of the order forms: a reason box and a submit button. */
export function OrderForm(props: {
  name: string;
  title: string;
  disabled: boolean;
  build: () => OrderPayload | string;
  onDone: () => void;
  children: ComponentChildren;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, run, error] = useCommand();
  return (
    <form
      class="order-form"
      data-testid={`order-${props.name}-form`}
      onSubmit={async (e) => {
        e.preventDefault();
        const order = props.build();
        if (typeof order === 'string') {
          setProblem(order);
          return;
        }
        setProblem('');
        if (await run({ type: 'submit_order', order, reason: reason.trim() })) {
          setReason('');
          props.onDone();
        }
      }}
    >
      <fieldset disabled={props.disabled || busy}>
        <legend>{props.title}</legend>
        {props.children}
        <Field label="Reason">
          {(id) => (
            <textarea
              id={id}
              rows={2}
              maxLength={4000}
              data-testid={`order-${props.name}-reason`}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
              placeholder="Why (recorded for the after-action review)"
            />
          )}
        </Field>
        {(problem || error) && (
          <p class="form-error" role="alert" data-testid={`order-${props.name}-error`}>
            {problem || error}
          </p>
        )}
        <button type="submit" class="primary" data-testid={`order-${props.name}-submit`}>
          {busy ? 'Submitting…' : 'Submit order'}
        </button>
      </fieldset>
    </form>
  );
}

/** A Δv component typed by the player: blank is 0, anything else must be a finite number. */
function component(text: string): number {
  return text.trim() === '' ? 0 : Number(text);
}

function DvInput(props: { label: string; testId: string; max: number; value: string; onInput: (v: string) => void }) {
  return (
    <Field label={props.label}>
      {(id) => (
        <input
          id={id}
          type="number"
          step="any"
          min={-props.max}
          max={props.max}
          data-testid={props.testId}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

function ManoeuvreForm(props: { view: TeamView; disabled: boolean }) {
  const assets = props.view.assets.filter((a) => a.status !== 'destroyed');
  const maxDv = props.view.rules.max_manoeuvre_dv_m_per_s;
  const [asset, setAsset] = useState('');
  const [dv, setDv] = useState('');
  const [radial, setRadial] = useState('');
  const [cross, setCross] = useState('');
  const [purpose, setPurpose] = useState<'collision_avoidance' | 'evasion' | 'reposition'>('collision_avoidance');
  const assetId = pick(asset, assets.map((a) => a.id));
  const r = component(radial);
  const t = component(dv);
  const n = component(cross);
  const norm = Math.hypot(r, t, n);
  return (
    <OrderForm
      name="manoeuvre"
      title="Manoeuvre"
      disabled={props.disabled || assets.length === 0}
      onDone={() => {
        setDv('');
        setRadial('');
        setCross('');
      }}
      build={() => {
        if (!assetId) return 'Choose an asset.';
        if (![r, t, n].every(Number.isFinite)) return 'Enter each Δv component in m/s (blank is 0).';
        if (norm === 0) return 'Enter a Δv in m/s.';
        if (norm > maxDv) return `|Δv| must be within ${maxDv} m/s (it is ${norm.toFixed(2)}).`;
        return {
          kind: 'manoeuvre',
          asset_id: assetId,
          dv_m_per_s: t,
          ...(r !== 0 ? { dv_radial_m_per_s: r } : {}),
          ...(n !== 0 ? { dv_cross_track_m_per_s: n } : {}),
          purpose,
        };
      }}
    >
      <Field label="Asset">
        {(id) => (
          <select id={id} data-testid="order-manoeuvre-asset" value={assetId} onChange={(e) => setAsset(e.currentTarget.value)}>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} — {a.propellant_dv_m_per_s.toFixed(1)} m/s left
              </option>
            ))}
          </select>
        )}
      </Field>
      <DvInput label={`Δv along-track m/s (|Δv| ≤ ${maxDv})`} testId="order-manoeuvre-dv" max={maxDv} value={dv} onInput={setDv} />
      <DvInput label="Δv radial m/s" testId="order-manoeuvre-dv-radial" max={maxDv} value={radial} onInput={setRadial} />
      <DvInput label="Δv cross-track m/s" testId="order-manoeuvre-dv-cross" max={maxDv} value={cross} onInput={setCross} />
      <p class="muted small" data-testid="order-manoeuvre-norm">
        Radial: away from the Earth; along-track: ahead, in the orbit plane; cross-track: along the orbit
        normal. Propellant and the limit count |Δv|{Number.isFinite(norm) && norm > 0 ? ` = ${norm.toFixed(2)} m/s` : ''}.
      </p>
      <Field label="Purpose">
        {(id) => (
          <select
            id={id}
            data-testid="order-manoeuvre-purpose"
            value={purpose}
            onChange={(e) => setPurpose(e.currentTarget.value as typeof purpose)}
          >
            <option value="collision_avoidance">collision avoidance</option>
            <option value="evasion">evasion</option>
            <option value="reposition">reposition</option>
          </select>
        )}
      </Field>
    </OrderForm>
  );
}

function AntiJamForm(props: { view: TeamView; disabled: boolean }) {
  const assets = props.view.assets.filter((a) => a.status !== 'destroyed');
  const [asset, setAsset] = useState('');
  const assetId = pick(asset, assets.map((a) => a.id));
  const current = assets.find((a) => a.id === assetId);
  const [enabled, setEnabled] = useState<'on' | 'off' | ''>('');
  const value = enabled || (current?.anti_jam ? 'off' : 'on');
  return (
    <OrderForm
      name="antijam"
      title="Anti-jam mode"
      disabled={props.disabled || assets.length === 0}
      onDone={() => setEnabled('')}
      build={() => (assetId ? { kind: 'anti_jam', asset_id: assetId, enabled: value === 'on' } : 'Choose an asset.')}
    >
      <Field label="Asset">
        {(id) => (
          <select id={id} data-testid="order-antijam-asset" value={assetId} onChange={(e) => setAsset(e.currentTarget.value)}>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} (now {a.anti_jam ? 'on' : 'off'})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Set anti-jam">
        {(id) => (
          <select
            id={id}
            data-testid="order-antijam-enabled"
            value={value}
            onChange={(e) => setEnabled(e.currentTarget.value as 'on' | 'off')}
          >
            <option value="on">on</option>
            <option value="off">off</option>
          </select>
        )}
      </Field>
    </OrderForm>
  );
}

function TaskingForm(props: { view: TeamView; disabled: boolean }) {
  const v = props.view;
  const sensors = v.sensors;
  const partners = playedPartners(v, v.nation).filter((n) => sensors.some((s) => s.owner === n.id));
  const [partner, setPartner] = useState('');
  const partnerId = pick(partner, partners.map((n) => n.id));
  const partnerSensors = sensors.filter((s) => s.owner === partnerId);
  const [sensor, setSensor] = useState('');
  const sensorId = pick(sensor, partnerSensors.map((s) => s.id));
  // The usual choices: the track selected on the map or in the table, then our assets; any other
  // object is found with the search box (a select of the whole catalog would be 50,000 options).
  const selected = useSlices('selection', 'picture').selected;
  const [found, setFound] = useState<ObjectEntry | null>(null);
  const objects: ObjectEntry[] = [];
  const seen = new Set<string>();
  for (const o of [found, selected ? (findObject(store, v, selected) ?? null) : null, ...v.assets]) {
    if (o && !seen.has(o.id)) {
      seen.add(o.id);
      objects.push({ id: o.id, name: o.name });
    }
  }
  const [object, setObject] = useState('');
  const objectId = pick(object, objects.map((o) => o.id));
  return (
    <OrderForm
      name="tasking"
      title="Tasking request to a partner"
      disabled={props.disabled || partners.length === 0}
      onDone={() => undefined}
      build={() =>
        partnerId && sensorId && objectId
          ? { kind: 'tasking_request', partner: partnerId, sensor_id: sensorId, object_id: objectId }
          : 'Choose a partner, a sensor and an object.'
      }
    >
      <Field label="Partner">
        {(id) => (
          <select id={id} data-testid="order-tasking-partner" value={partnerId} onChange={(e) => setPartner(e.currentTarget.value)}>
            {partners.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({n.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Partner's sensor">
        {(id) => (
          <select id={id} data-testid="order-tasking-sensor" value={sensorId} onChange={(e) => setSensor(e.currentTarget.value)}>
            {partnerSensors.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.model})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Object">
        {(id) => (
          <select id={id} data-testid="order-tasking-object" value={objectId} onChange={(e) => setObject(e.currentTarget.value)}>
            {objects.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.id}){o.id === selected ? ' — selected track' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ObjectSearch
        view={v}
        testId="order-tasking-object-search"
        label="Find another object to task on"
        onPick={(o) => {
          setFound(o);
          setObject(o.id);
        }}
      />
    </OrderForm>
  );
}

function AttributionForm(props: { view: TeamView; disabled: boolean }) {
  const v = props.view;
  const injects = v.injects.filter((i) => i.released_move != null);
  // Adversaries first: they are the usual subject of an attribution.
  const nations = v.nations
    .filter((n) => n.id !== v.nation)
    .sort((a, b) => Number(b.side === 'red') - Number(a.side === 'red') || a.name.localeCompare(b.name));
  const levels = v.rules.attribution_levels;
  const [inject, setInject] = useState('');
  const [accused, setAccused] = useState('');
  const [likelihood, setLikelihood] = useState('');
  const injectId = pick(inject, injects.map((i) => i.id));
  const accusedId = pick(accused, nations.map((n) => n.id));
  const level = pick(likelihood, levels);
  return (
    <OrderForm
      name="attribution"
      title="Public attribution"
      disabled={props.disabled || injects.length === 0}
      onDone={() => undefined}
      build={() =>
        injectId && accusedId && level
          ? { kind: 'public_attribution', inject_id: injectId, accused: accusedId, likelihood: level }
          : 'Choose an event, a nation and a likelihood.'
      }
    >
      <Field label="Event (released inject)">
        {(id) => (
          <select id={id} data-testid="order-attribution-inject" value={injectId} onChange={(e) => setInject(e.currentTarget.value)}>
            {injects.map((i) => (
              <option key={i.id} value={i.id}>
                {i.title} ({i.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Accused nation">
        {(id) => (
          <select id={id} data-testid="order-attribution-accused" value={accusedId} onChange={(e) => setAccused(e.currentTarget.value)}>
            {nations.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({n.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Likelihood">
        {(id) => (
          <select id={id} data-testid="order-attribution-likelihood" value={level} onChange={(e) => setLikelihood(e.currentTarget.value)}>
            {levels.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        )}
      </Field>
    </OrderForm>
  );
}

function OrderRow(props: { orderId: string; text: string; reason: string; move: number; disabled: boolean }) {
  const [busy, run, error] = useCommand();
  return (
    <li data-testid={`order-row-${props.orderId}`}>
      <span>
        <strong>{props.orderId}</strong> {props.text}
        {props.reason && <span class="muted"> — “{props.reason}”</span>}
      </span>
      <button
        type="button"
        data-testid={`cancel-order-${props.orderId}`}
        disabled={busy || props.disabled}
        onClick={() => void run({ type: 'cancel_order', order_id: props.orderId })}
      >
        {busy ? 'Cancelling…' : 'Cancel'}
      </button>
      <CommandError error={error} testId={`cancel-error-${props.orderId}`} />
    </li>
  );
}

export function OrdersPanel() {
  const v = useTeamView('orders', 'meta', 'assets', 'injects', 'responses');
  const closing = inputsClosed(v);
  const closed = v.phase !== 'running' || !!closing;
  const orders = v.orders;
  return (
    <Panel id="orders" title={`Orders for move ${v.move}`} wide>
      {closed && (
        <p class="muted" data-testid="orders-closed">
          {closing && v.phase !== 'ended'
            ? `Orders wait: ${closing}.`
            : `Orders can be submitted while a move is running (the exercise is ${v.phase}).`}
        </p>
      )}
      <div class="forms">
        <ManoeuvreForm view={v} disabled={closed} />
        <AntiJamForm view={v} disabled={closed} />
        <TaskingForm view={v} disabled={closed} />
        <AttributionForm view={v} disabled={closed} />
        {v.responses && <ResponseForms view={v} disabled={closed} />}
        {(v.arsenal?.length ?? 0) > 0 && <CounterspaceForm view={v} disabled={closed} />}
      </div>
      <h3>Our sealed orders</h3>
      {orders.length === 0 ? (
        <Empty>No orders submitted this move.</Empty>
      ) : (
        <ul class="list" data-testid="orders-list">
          {orders.map((o) => (
            <OrderRow
              key={o.order_id}
              orderId={o.order_id}
              text={describeOrder(o.order)}
              reason={o.reason ?? ''}
              move={o.move}
              disabled={closed}
            />
          ))}
        </ul>
      )}
      <p class="muted small">
        Orders stay sealed until the move closes; a public attribution is published at once.
      </p>
    </Panel>
  );
}
