import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { mselOf, type MselEntry } from '../../types';
import { CommandError, Empty, fmtNum, Panel, useCommand, useControlView } from '../common';
import { MarkingChip } from '../Marking';
import { controllable, MselControlForm, MselState } from './MselControl';

function ReleaseButton(props: { entry: MselEntry; canRelease: boolean }) {
  const [busy, run, error] = useCommand();
  return (
    <>
      <button
        type="button"
        class="primary small"
        data-testid={`release-${props.entry.id}`}
        disabled={busy || !props.canRelease}
        onClick={() => void run({ type: 'release_inject', inject_id: props.entry.id })}
      >
        {busy ? 'Releasing…' : 'Release'}
      </button>
      <CommandError error={error} testId={`msel-release-error-${props.entry.id}`} />
    </>
  );
}

export function MselPanel() {
  const v = useControlView('injects', 'meta');
  const [showReleased, setShowReleased] = useState(true);
  const [openParams, setOpenParams] = useState<string | null>(null);
  const [openControl, setOpenControl] = useState<string | null>(null);
  const canRelease = v.phase === 'running' || v.phase === 'paused';
  const entries = [...mselOf(v)]
    .filter((e) => showReleased || e.released_move == null)
    .sort(
      (a, b) =>
        (a.move ?? 0) - (b.move ?? 0) ||
        (a.offset_hours ?? 0) - (b.offset_hours ?? 0) ||
        (a.serial ?? 0) - (b.serial ?? 0) ||
        a.id.localeCompare(b.id),
    );
  return (
    <Panel id="msel" title="Master scenario events list (MSEL)" wide>
      <div class="toolbar">
        <label>
          <input
            type="checkbox"
            data-testid="msel-show-released"
            checked={showReleased}
            onChange={(e) => setShowReleased(e.currentTarget.checked)}
          />{' '}
          Show released injects
        </label>
        {!canRelease && <span class="muted">Injects can be released once the exercise has started.</span>}
      </div>
      {entries.length === 0 ? (
        <Empty>No injects.</Empty>
      ) : (
        <div class="scroll tall">
          <table class="data msel" data-testid="msel-table">
            <thead>
              <tr>
                <th scope="col" class="num">
                  Serial
                </th>
                <th scope="col">Id</th>
                <th scope="col">Title</th>
                <th scope="col" class="num">
                  Move
                </th>
                <th scope="col" class="num">
                  Offset h
                </th>
                <th scope="col">Type</th>
                <th scope="col">Target</th>
                <th scope="col">Recipients</th>
                <th scope="col">Marking</th>
                <th scope="col">Trigger</th>
                <th scope="col">Contingency</th>
                <th scope="col">Released</th>
                <th scope="col">State</th>
                <th scope="col">Controller notes</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <Fragment key={e.id}>
                  <tr
                    data-testid={`msel-row-${e.id}`}
                    data-released={e.released_move != null ? 'yes' : 'no'}
                    class={e.released_move != null ? 'released' : e.move === v.move ? 'current' : ''}
                  >
                    <td class="num">{e.serial}</td>
                    <td>{e.id}</td>
                    <th scope="row">
                      {e.title}
                      {e.adhoc && <span class="badge">ad hoc</span>}
                      {e.text && <div class="muted small clamp">{e.text}</div>}
                    </th>
                    <td class="num">{e.move}</td>
                    <td class="num">{fmtNum(e.offset_hours, 1)}</td>
                    <td>{e.type.replace(/_/g, ' ')}</td>
                    <td>{e.target ?? '—'}</td>
                    <td>{e.recipients?.length ? e.recipients.join(', ') : 'all the marking allows'}</td>
                    <td>
                      <MarkingChip label={e.marking} testId={`msel-marking-${e.id}`} />
                    </td>
                    <td>{e.trigger}</td>
                    <td>{e.contingency ? 'yes' : 'no'}</td>
                    <td data-testid={`msel-released-${e.id}`}>
                      {e.released_move != null ? `move ${e.released_move}${e.resolved ? ', resolved' : ''}` : 'no'}
                    </td>
                    <MselState entry={e} />
                    <td class="notes">
                      {e.controller_notes || <span class="muted">—</span>}
                      {Object.keys(e.params ?? {}).length > 0 && (
                        <div>
                          <button type="button" class="link small" onClick={() => setOpenParams(openParams === e.id ? null : e.id)}>
                            {openParams === e.id ? 'hide params' : 'params'}
                          </button>
                          {openParams === e.id && <pre class="params">{JSON.stringify(e.params, null, 1)}</pre>}
                        </div>
                      )}
                    </td>
                    <td>
                      {e.released_move == null && <ReleaseButton entry={e} canRelease={canRelease} />}
                      {controllable(e) && (
                        <button
                          type="button"
                          class="small"
                          data-testid={`msel-control-${e.id}`}
                          aria-expanded={openControl === e.id}
                          onClick={() => setOpenControl(openControl === e.id ? null : e.id)}
                        >
                          {openControl === e.id ? 'Close' : 'Skip, hold, retime, edit…'}
                        </button>
                      )}
                    </td>
                  </tr>
                  {openControl === e.id && controllable(e) && (
                    <tr class="msel-control-row" data-testid={`msel-control-row-${e.id}`}>
                      <td colSpan={15}>
                        <MselControlForm entry={e} currentMove={v.move} lastMove={v.moves} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
