import { useState } from 'preact/hooks';
import type { AdHocInject, InjectType, Releasability } from '../../generated/protocol';
import type { ObjectEntry } from '../../objects';
import { CommandError, objectName, Panel, useCommand, useControlView } from '../common';
import { ObjectSearch } from '../ObjectSearch';

const RELEASABILITY: Releasability[] = ['NOFORN', 'REL', 'REL FVEY', 'REL CSPO', 'REL ALL-PARTICIPANTS', 'PUBLIC'];

/** Parse the params text box: empty means {}, otherwise a JSON object. */
function parseParams(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, error: 'Params must be a JSON object, e.g. {"duration_moves": 1}.' };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch (err) {
    return { ok: false, error: `Params are not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function AdhocPanel() {
  const v = useControlView('meta', 'assets', 'truth');
  const types = v.inject_types.length ? v.inject_types : ['message'];
  const [type, setType] = useState(types.includes('message') ? 'message' : (types[0] ?? 'message'));
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [target, setTarget] = useState('');
  const [actor, setActor] = useState('');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [releasability, setReleasability] = useState<Releasability>('NOFORN');
  const [notes, setNotes] = useState('');
  const [params, setParams] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, run, error] = useCommand();
  const parsed = parseParams(params);
  // Owned assets (played and adversary) are listed; any other object (the background catalog may hold
  // 50,000) is found with the search box and joins the list.
  const [found, setFound] = useState<ObjectEntry | null>(null);
  const assetList = v.assets.filter((a) => a.owner).map((a) => ({ id: a.id, name: a.name ?? a.id, owner: a.owner }));
  const objects = [...(found && !assetList.some((a) => a.id === found.id) ? [found] : []), ...assetList].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const sensorTypes = v.sensor_inject_types;
  const sensors = [...v.sensors].sort((a, b) => a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name));
  const sensorIds = new Set(sensors.map((s) => s.id));
  const sensorTarget = sensorTypes.includes(type);
  const chooseType = (next: string) => {
    setType(next);
    // A sensor stays the target only for a type whose effect may hit sensors.
    if (!sensorTypes.includes(next) && sensorIds.has(target)) setTarget('');
  };
  const canRelease = v.phase === 'running' || v.phase === 'paused';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!title.trim()) return setProblem('A title is required.');
    if (!parsed.ok) return setProblem(parsed.error);
    setProblem('');
    const command: AdHocInject = {
      type: 'adhoc_inject',
      inject_type: type as InjectType,
      title: title.trim(),
      text,
      target: target || null,
      actor: actor || null,
      recipients,
      params: parsed.value,
      releasability,
      controller_notes: notes,
    };
    if (await run(command)) {
      setTitle('');
      setText('');
      setNotes('');
      setParams('');
    }
  };

  return (
    <Panel id="adhoc" title="Ad-hoc inject">
      <form onSubmit={submit} data-testid="adhoc-form" class="stack">
        <fieldset disabled={busy || !canRelease}>
          <legend class="sr-only">New ad-hoc inject</legend>
          {!canRelease && <p class="muted">Ad-hoc injects can be released once the exercise has started.</p>}
          <div class="two">
            <label>
              Type
              <select data-testid="adhoc-type" value={type} onChange={(e) => chooseType(e.currentTarget.value)}>
                {types.map((t) => (
                  <option key={t} value={t}>
                    {t.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Releasability
              <select
                data-testid="adhoc-releasability"
                value={releasability}
                onChange={(e) => setReleasability(e.currentTarget.value as Releasability)}
              >
                {RELEASABILITY.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            Title
            <input type="text" maxLength={200} required data-testid="adhoc-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </label>
          <label>
            Player-facing text
            <textarea rows={3} maxLength={4000} data-testid="adhoc-text" value={text} onInput={(e) => setText(e.currentTarget.value)} />
          </label>
          <div class="two">
            <label title="Sensors are listed for the inject types whose effect may hit a sensor">
              Target object or sensor
              <select data-testid="adhoc-target" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                <option value="">(none)</option>
                {objects.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name} ({o.id}{o.owner ? ', ' + o.owner : ''})
                  </option>
                ))}
                {target && !objects.some((o) => o.id === target) && !sensorIds.has(target) && (
                  <option value={target}>{objectName(v, target)} ({target})</option>
                )}
                {sensorTarget && sensors.length > 0 && (
                  <optgroup label="Sensors">
                    {sensors.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name} ({s.id}, {s.owner})
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
              <ObjectSearch
                view={v}
                testId="adhoc-target-search"
                label="Find any object as the target"
                onPick={(o) => {
                  setFound(o);
                  setTarget(o.id);
                }}
              />
            </label>
            <label>
              Actor (for attribution)
              <select data-testid="adhoc-actor" value={actor} onChange={(e) => setActor(e.currentTarget.value)}>
                <option value="">(none)</option>
                {v.nations.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name} ({n.id})
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            Recipients (none selected = every played nation)
            <select
              multiple
              size={Math.min(6, Math.max(3, v.nations.length))}
              data-testid="adhoc-recipients"
              onChange={(e) => setRecipients(Array.from(e.currentTarget.selectedOptions, (o) => o.value))}
            >
              {v.nations.map((n) => (
                <option key={n.id} value={n.id} selected={recipients.includes(n.id)}>
                  {n.name} ({n.id}){n.played ? '' : ' — not played'}
                </option>
              ))}
            </select>
          </label>
          <label>
            Controller notes (white cell only)
            <textarea rows={2} maxLength={4000} data-testid="adhoc-notes" value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
          </label>
          <label>
            Params (JSON object)
            <textarea
              rows={3}
              class={parsed.ok ? 'mono' : 'mono invalid'}
              aria-invalid={!parsed.ok}
              data-testid="adhoc-params"
              value={params}
              placeholder='{"duration_moves": 1}'
              onInput={(e) => setParams(e.currentTarget.value)}
            />
          </label>
          {!parsed.ok && (
            <p class="form-error" data-testid="adhoc-params-error">
              {parsed.error}
            </p>
          )}
          {problem && (
            <p class="form-error" role="alert" data-testid="adhoc-error">
              {problem}
            </p>
          )}
          <button type="submit" class="primary" data-testid="adhoc-submit" disabled={!parsed.ok}>
            {busy ? 'Releasing…' : 'Release ad-hoc inject'}
          </button>
          <CommandError error={error} testId="adhoc-rejected" />
        </fieldset>
      </form>
    </Panel>
  );
}
