// Injects a seat received (with their marking), the forwards a team sent and received, the
// "forward" action on what it holds, and its conjunction and close-approach warnings.
import { useState } from 'preact/hooks';
import { downloadCdm } from '../../api';
import { store } from '../../app';
import type { ForwardCard, Marking, PlayerInject, TeamView } from '../../types';
import { isTeamView } from '../../types';
import { MarkingChip } from '../Marking';
import { VirtualTable } from '../VirtualTable';
import { CommandError, Empty, fmtNum, fmtPc, nationLabel, objectName, Panel, useCommand, useStore, useTeamView, useView } from '../common';
import { inputsClosed, MarkingPicker, RecipientsPicker } from './ReleasePickers';

/** Forward what we hold (an inject, or a partner's forward of one) at a marking no wider than ours. */
function ForwardForm(props: { view: TeamView; injectId: string; marking: Marking; title: string; text: string; onDone: () => void }) {
  const { view, injectId } = props;
  const [marking, setMarking] = useState<Marking>(props.marking);
  const [recipients, setRecipients] = useState<string[]>([]);
  const [text, setText] = useState(props.text);
  const [title, setTitle] = useState(props.title);
  const [busy, run, error] = useCommand();
  const submit = async (e: Event) => {
    e.preventDefault();
    const sanitized = text.trim() === props.text.trim() ? null : text;
    const retitled = title.trim() === props.title.trim() || !title.trim() ? null : title.trim();
    if (await run({ type: 'forward_inject', inject_id: injectId, marking, recipients, text: sanitized, title: retitled })) props.onDone();
  };
  return (
    <form class="order-form" data-testid={`forward-form-${injectId}`} onSubmit={submit}>
      <fieldset disabled={busy}>
        <legend class="small">Forward {injectId} to partners (at a marking no wider than we received it)</legend>
        <MarkingPicker view={view} value={marking} onChange={setMarking} testId={`forward-marking-${injectId}`} />
        <RecipientsPicker view={view} value={recipients} onChange={setRecipients} testId={`forward-recipient-${injectId}`} />
        <label class="field">
          Title partners read (edit to sanitize)
          <input type="text" maxLength={200} data-testid={`forward-title-${injectId}`} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <label class="field">
          Text partners read (edit to sanitize)
          <textarea rows={3} maxLength={4000} data-testid={`forward-text-${injectId}`} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <CommandError error={error} testId={`forward-error-${injectId}`} />
        <button type="submit" class="primary small" data-testid={`forward-submit-${injectId}`}>
          {busy ? 'Forwarding…' : 'Forward'}
        </button>{' '}
        <button type="button" class="small" onClick={props.onDone}>
          Cancel
        </button>
      </fieldset>
    </form>
  );
}

/** Our forwards of this inject, as a line under it. */
function SentForwards(props: { forwards: ForwardCard[] }) {
  if (props.forwards.length === 0) return null;
  return (
    <ul class="small muted">
      {props.forwards.map((f) => (
        <li key={f.forward_id} data-testid={`forward-row-${f.forward_id}`} data-direction="sent">
          Forwarded in move {f.move} to {f.recipients.join(', ')} <MarkingChip label={f.marking_label} testId={`forward-marking-chip-${f.forward_id}`} />
        </li>
      ))}
    </ul>
  );
}

function InjectItem(props: { inject: PlayerInject; team: TeamView | null; closed: string }) {
  const i = props.inject;
  const [open, setOpen] = useState(false);
  const { readOnly } = useStore();
  const team = props.team;
  const sent = team ? team.forwards.filter((f) => f.nation === team.nation && f.inject_id === i.id) : [];
  return (
    <li data-testid={`inject-${i.id}`} class={`inject type-${i.type}`}>
      <div class="inject-head">
        <strong>{i.title}</strong>
        <MarkingChip label={i.marking} testId={`inject-marking-${i.id}`} />
      </div>
      <div class="muted small">
        From {i.sender} · {i.channel} · {i.type.replace(/_/g, ' ')}
        {i.released_move != null ? ` · move ${i.released_move}` : ''} · {i.id}
      </div>
      {i.text && <p class="inject-text">{i.text}</p>}
      {team && <SentForwards forwards={sent} />}
      {team &&
        !readOnly &&
        (open ? (
          <ForwardForm
            view={team}
            injectId={i.id}
            marking={{ releasability: i.releasability as Marking['releasability'], releasable_to: i.releasable_to }}
            title={i.title}
            text={i.text}
            onDone={() => setOpen(false)}
          />
        ) : (
          <button type="button" class="small" data-testid={`forward-${i.id}`} disabled={!!props.closed} title={props.closed} onClick={() => setOpen(true)}>
            Forward…
          </button>
        ))}
    </li>
  );
}

/** A partner's forward of an inject to us (which we may forward on, within its marking). */
function ReceivedForward(props: { forward: ForwardCard; team: TeamView; closed: string }) {
  const f = props.forward;
  const [open, setOpen] = useState(false);
  const { readOnly } = useStore();
  return (
    <li data-testid={`forward-row-${f.forward_id}`} data-direction="received" class="inject forwarded">
      <div class="inject-head">
        <strong>{f.title}</strong>
        <MarkingChip label={f.marking_label} testId={`forward-marking-chip-${f.forward_id}`} />
      </div>
      <div class="muted small">
        Forwarded by {nationLabel(props.team, f.nation)} · move {f.move} · {f.inject_id}
      </div>
      {f.text && <p class="inject-text">{f.text}</p>}
      {readOnly ? null : open ? (
        <ForwardForm view={props.team} injectId={f.inject_id} marking={f.marking} title={f.title} text={f.text} onDone={() => setOpen(false)} />
      ) : (
        <button type="button" class="small" data-testid={`forward-${f.forward_id}`} disabled={!!props.closed} onClick={() => setOpen(true)}>
          Forward…
        </button>
      )}
    </li>
  );
}

export function InjectFeed(props: { title?: string }) {
  const v = useView('injects', 'meta');
  const team = isTeamView(v) ? v : null;
  const injects = v.kind === 'control' ? [] : [...v.injects];
  injects.sort((a, b) => (b.released_move ?? 0) - (a.released_move ?? 0) || b.serial - a.serial);
  const received = team ? team.forwards.filter((f) => f.nation !== team.nation).reverse() : [];
  const closed = team ? (team.phase === 'setup' ? 'the exercise has not started' : inputsClosed(team)) : '';
  return (
    <Panel id="injects" title={props.title ?? 'Injects'}>
      <ol class="feed scroll" data-testid="inject-feed" aria-label="Released injects, newest first">
        {injects.length === 0 && received.length === 0 && <li class="empty">No injects released to you yet.</li>}
        {received.map((f) => team && <ReceivedForward key={f.forward_id} forward={f} team={team} closed={closed} />)}
        {injects.map((i) => (
          <InjectItem key={i.id} inject={i} team={team} closed={closed} />
        ))}
      </ol>
    </Panel>
  );
}

async function saveCdm(warningId: string): Promise<void> {
  try {
    await downloadCdm(warningId);
  } catch (err) {
    store.notify('error', `CDM download failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function Warnings() {
  const v = useTeamView('warnings', 'picture');
  const s = useStore();
  const warnings = [...v.warnings].reverse();
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
              <col style={{ width: '13%' }} />
              <col style={{ width: '17%' }} />
              <col style={{ width: '17%' }} />
              <col style={{ width: '10%' }} />
              <col style={{ width: '10%' }} />
              <col style={{ width: '6%' }} />
              <col style={{ width: '19%' }} />
              <col style={{ width: '8%' }} />
            </colgroup>
          }
          head={
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Asset</th>
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
              <th scope="col">Source</th>
              <th scope="col">CDM</th>
            </tr>
          }
          renderRow={(i) => {
            const w = warnings[i]!;
            return (
              <tr key={i} data-testid={`warning-row-${i}`} data-shared-by={w.shared_by ?? ''} class={w.kind === 'conjunction' ? 'warn' : ''}>
                <td>{w.kind === 'conjunction' ? 'Conjunction' : 'Close approach'}</td>
                <td title={w.asset_id}>{objectName(v, w.asset_id, s)}</td>
                <td title={w.other_id}>{objectName(v, w.other_id, s)}</td>
                <td class="num">{fmtNum(w.miss_km, 2)}</td>
                <td class="num">{fmtPc(w.pc)}</td>
                <td class="num">{w.move}</td>
                <td>
                  {w.shared_by ? (
                    <>
                      shared by {w.shared_by} <MarkingChip marking={w.marking} testId={`warning-marking-${i}`} />
                    </>
                  ) : (
                    'ours'
                  )}
                </td>
                <td>
                  {w.kind === 'conjunction' && w.id && !s.readOnly ? (
                    <button
                      type="button"
                      class="link"
                      data-testid={`warning-cdm-${i}`}
                      title="Download this warning as a CCSDS conjunction data message"
                      onClick={() => void saveCdm(w.id!)}
                    >
                      CDM
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          }}
        />
      )}
    </Panel>
  );
}
