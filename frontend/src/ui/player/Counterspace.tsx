// A played red cell's counterspace order: one of its own weapons, fired at a target when the move closes.
import { useState } from 'preact/hooks';
import type { TeamView } from '../../types';
import { store } from '../../app';
import { findObject, type ObjectEntry } from '../../objects';
import { useSlices } from '../common';
import { ObjectSearch } from '../ObjectSearch';
import { Field, OrderForm, pick } from './Orders';

type Weapon = NonNullable<TeamView['arsenal']>[number];

/** Uses left: the magazine less uses fired and this move's open orders for the weapon. */
export function usesLeft(view: TeamView, weapon: Weapon): number {
  const open = view.orders.filter((o) => o.order.kind === 'counterspace' && o.order.weapon_id === weapon.id).length;
  return weapon.magazine - (weapon.fired ?? 0) - open;
}

function reachText(weapon: Weapon): string {
  const parts = [weapon.parent ? `on ${weapon.parent}` : `site ${weapon.site_lat_deg}°, ${weapon.site_lon_deg}°`];
  if (weapon.reach?.regimes?.length) parts.push(`reaches ${weapon.reach.regimes.join(', ')}`);
  if (weapon.reach?.max_range_km) parts.push(`within ${weapon.reach.max_range_km} km`);
  return parts.join('; ');
}

export function CounterspaceForm(props: { view: TeamView; disabled: boolean }) {
  const v = props.view;
  const arsenal = v.arsenal ?? [];
  const [choice, setChoice] = useState('');
  const weaponId = pick(choice, arsenal.map((w) => w.id));
  const weapon = arsenal.find((w) => w.id === weaponId);
  const selected = useSlices('selection', 'picture').selected;
  const [found, setFound] = useState<ObjectEntry | null>(null);
  const targets: ObjectEntry[] = [];
  for (const o of [found, selected ? (findObject(store, v, selected) ?? null) : null]) {
    if (o && !targets.some((t) => t.id === o.id)) targets.push({ id: o.id, name: o.name });
  }
  const [target, setTarget] = useState('');
  const targetId = pick(target, targets.map((t) => t.id));
  const left = weapon ? usesLeft(v, weapon) : 0;
  return (
    <OrderForm
      name="counterspace"
      title="Counterspace (red cell)"
      disabled={props.disabled}
      onDone={() => undefined}
      build={() => {
        if (!weapon) return 'Choose a weapon.';
        if (left <= 0) return `${weapon.name} has no uses left.`;
        if (!targetId) return 'Choose a target: select a track or find one.';
        return { kind: 'counterspace', weapon_id: weapon.id, target: targetId };
      }}
    >
      <Field label="Weapon">
        {(id) => (
          <select id={id} data-testid="order-counterspace-weapon" value={weaponId} onChange={(e) => setChoice(e.currentTarget.value)}>
            {arsenal.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} ({w.type}, {usesLeft(v, w)} of {w.magazine} left)
              </option>
            ))}
          </select>
        )}
      </Field>
      {weapon && (
        <p class="muted small" data-testid="order-counterspace-note">
          {reachText(weapon)}
          {weapon.cost ? ` — ${weapon.cost}` : ''}
        </p>
      )}
      <Field label="Target">
        {(id) => (
          <select id={id} data-testid="order-counterspace-target" value={targetId} onChange={(e) => setTarget(e.currentTarget.value)}>
            {targets.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.id}){t.id === selected ? ' — selected track' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ObjectSearch
        view={v}
        testId="order-counterspace-target-search"
        label="Find a target"
        onPick={(o) => {
          setFound(o);
          setTarget(o.id);
        }}
      />
    </OrderForm>
  );
}
