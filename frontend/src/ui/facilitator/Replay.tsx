// Replay for facilitators and the white cell: pick a seat and a point of the exercise (a scrubber
// over the log's seqs, with move markers and step buttons) and see exactly what that seat saw
// then, in its own panels (read-only), beside ground truth: the control view at the same seq.
// Each side reads a store of its own (StoreContext), so the page's live store is never touched.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fetchReplay } from '../../api';
import { loadControlPicture, showPicture } from '../../picture/load';
import {
  markerLabel,
  markerOffset,
  replaySeats,
  stepTo,
  truthDisplayView,
  type ReplayDocument,
  type ReplayMarker,
  type Step,
} from '../../replay/document';
import { Store } from '../../store';
import type { View } from '../../types';
import { isControlView, isTeamView } from '../../types';
import { MetricsPanel, PictureSummary, SharingMatrix } from '../control/GroundTruth';
import { EventFeed } from '../control/EventFeed';
import { PicturesPanel } from '../control/Pictures';
import { describeEvent } from '../describe';
import { MapPanel } from '../map/MapPanel';
import { AssessmentsPanel } from '../player/Assessments';
import { AssetsTable } from '../player/Assets';
import { Attributions } from '../player/Attributions';
import { InjectFeed, Warnings } from '../player/Injects';
import { PictureTable } from '../player/PictureTable';
import { SharingPanel } from '../player/Sharing';
import { Panel, StoreContext, useView } from '../common';

/** Quiet time after the scrubber last moved before the point is fetched. */
const SCRUB_DELAY_MS = 200;

const STEPS: { step: Step; label: string; title: string }[] = [
  { step: 'first', label: 'First', title: 'The first event' },
  { step: 'previous-move', label: '« move', title: 'The start of this move (or the previous one)' },
  { step: 'previous', label: '‹ event', title: 'One event back' },
  { step: 'next', label: 'event ›', title: 'One event on' },
  { step: 'next-move', label: 'move »', title: 'The start of the next move' },
  { step: 'last', label: 'Latest', title: 'The latest event' },
];

/** Put a replay's view into a side's store and load the picture it shows. */
function show(store: Store, doc: ReplayDocument): void {
  const view = isControlView(doc.view) ? (truthDisplayView(doc) ?? doc.view) : doc.view;
  store.view = view;
  store.feed = doc.feed;
  store.changedAll();
  if (isTeamView(view)) showPicture(store, doc.picture_url, view.picture?.move ?? -1);
  else if (isControlView(view)) loadControlPicture(store, view);
}

/** What a seat's own page shows, read-only. */
function SeatPanels(props: { view: View }) {
  if (isTeamView(props.view)) {
    return (
      <>
        <MapPanel />
        <PictureTable />
        <Warnings />
        <AssessmentsPanel />
        <SharingPanel />
        <InjectFeed />
        <EventFeed title="Its last events" limit={30} />
        <AssetsTable />
      </>
    );
  }
  if (isControlView(props.view)) return <TruthPanels />;
  return (
    <>
      <InjectFeed />
      <EventFeed title="Its last events" limit={30} />
      <Attributions />
    </>
  );
}

/** Ground truth: the white cell's panels on the control view of the same point. */
function TruthPanels() {
  return (
    <>
      <PicturesPanel />
      <PictureSummary />
      <SharingMatrix />
      <MetricsPanel />
      <AssetsTable title="Ground truth: all assets" control />
    </>
  );
}

function Scrubber(props: { at: number; last: number; markers: ReplayMarker[]; move: number | null; go: (seq: number) => void }) {
  const { at, last, markers, go } = props;
  return (
    <div class="replay-scrubber">
      <input
        type="range"
        min={1}
        max={Math.max(last, 1)}
        step={1}
        value={at}
        list="replay-marker-list"
        data-testid="replay-scrubber"
        aria-label="Point of the exercise (the log's seq)"
        aria-valuetext={`seq ${at} of ${last}${props.move !== null ? `, move ${props.move}` : ''}`}
        onInput={(e) => go(Number(e.currentTarget.value))}
      />
      <datalist id="replay-marker-list">
        {markers.map((m) => (
          <option key={m.seq} value={m.seq} label={markerLabel(m)} />
        ))}
      </datalist>
      <div class="replay-ticks" aria-label="Where each move starts">
        {markers.map((m) => (
          <button
            key={m.seq}
            type="button"
            class={`replay-tick link small${m.seq <= at ? ' passed' : ''}`}
            style={{ left: `${markerOffset(m.seq, last)}%` }}
            data-testid={`replay-marker-${m.seq}`}
            data-move={m.move}
            data-type={m.type}
            title={`${markerLabel(m)}: seq ${m.seq}`}
            onClick={() => go(m.seq)}
          >
            {markerLabel(m)}
          </button>
        ))}
      </div>
    </div>
  );
}

function Status(props: { doc: ReplayDocument; label: string; loading: boolean }) {
  const { doc } = props;
  return (
    <p
      class="replay-status"
      role="status"
      data-testid="replay-status"
      data-viewer={doc.viewer}
      data-at={doc.at}
      data-move={doc.move}
      data-pos={doc.pos}
      data-phase={doc.view.phase}
      data-loading={props.loading ? 'true' : 'false'}
    >
      <strong>{props.label}</strong> right after seq {doc.at} of {doc.last_seq}: move {doc.move} ({doc.view.phase}), its
      stream at position {doc.pos}.{' '}
      <span data-testid="replay-received" data-type={doc.received?.event.type ?? ''}>
        {doc.received ? `It received: ${describeEvent(doc.received.event)}` : 'This event was not in its stream.'}
      </span>
    </p>
  );
}

function Replay() {
  const live = useView('meta', 'pos');
  const seats = useMemo(() => replaySeats(live), [live.nations]);
  const head = isControlView(live) ? live.seq : live.pos;
  const [viewer, setViewer] = useState(seats[0]?.viewer ?? 'white_cell');
  const [at, setAt] = useState(Math.max(head, 1));
  const [shown, setShown] = useState<{ seat: ReplayDocument; truth: ReplayDocument } | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  // One store per seat (a store only ever holds one kind of view) and one for ground truth.
  const stores = useRef(new Map<string, Store>());
  const storeOf = (key: string): Store => {
    let found = stores.current.get(key);
    if (!found) {
      found = new Store({ readOnly: true });
      stores.current.set(key, found);
    }
    return found;
  };
  const request = useRef(0);

  useEffect(() => {
    const id = ++request.current;
    setLoading(true);
    const timer = window.setTimeout(() => {
      const control = viewer === 'white_cell' || viewer === 'facilitator';
      Promise.all([fetchReplay(viewer, at), control ? null : fetchReplay(live.viewer, at)])
        .then(([seat, truth]) => {
          if (id !== request.current) return;
          show(storeOf(`seat:${viewer}`), seat);
          show(storeOf('truth'), truth ?? seat);
          setShown({ seat, truth: truth ?? seat });
          setError('');
          setLoading(false);
        })
        .catch((err: unknown) => {
          if (id !== request.current) return;
          setError(err instanceof Error ? err.message : String(err));
          setLoading(false);
        });
    }, SCRUB_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [viewer, at]);

  const last = shown?.seat.last_seq ?? Math.max(head, 1);
  const markers = shown?.seat.markers ?? [];
  const go = (seq: number) => setAt(Math.min(Math.max(Math.round(seq), 1), last));
  const label = seats.find((s) => s.viewer === viewer)?.label ?? viewer;
  const seatDoc = shown && shown.seat.viewer === viewer ? shown.seat : null;
  return (
    <div class="replay" data-testid="replay">
      <div class="toolbar replay-controls">
        <label>
          Seat{' '}
          <select data-testid="replay-seat" value={viewer} onChange={(e) => setViewer(e.currentTarget.value)}>
            {seats.map((s) => (
              <option key={s.viewer} value={s.viewer}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <span class="controls" role="group" aria-label="Step through the exercise">
          {STEPS.map(({ step, label: text, title }) => (
            <button key={step} type="button" class="small" title={title} data-testid={`replay-${step}`} onClick={() => go(stepTo(step, at, last, markers))}>
              {text}
            </button>
          ))}
        </span>
        <label>
          Seq{' '}
          <input
            type="number"
            min={1}
            max={last}
            value={at}
            data-testid="replay-seq"
            onChange={(e) => {
              const value = Number(e.currentTarget.value);
              if (Number.isFinite(value)) go(value);
            }}
          />
        </label>
        {loading && (
          <span class="muted small" data-testid="replay-loading">
            Loading…
          </span>
        )}
      </div>
      <Scrubber at={at} last={last} markers={markers} move={seatDoc?.move ?? null} go={go} />
      {error && (
        <p class="form-error" role="alert" data-testid="replay-error">
          The replay failed to load: {error}
        </p>
      )}
      {seatDoc && shown && (
        <>
          <Status doc={seatDoc} label={label} loading={loading} />
          <div class="replay-sides">
            <section class="replay-side" data-testid="replay-seat-view" aria-label={`What ${label} saw`}>
              <h3>What {label} saw</h3>
              <StoreContext.Provider value={storeOf(`seat:${viewer}`)}>
                <SeatPanels view={seatDoc.view} />
              </StoreContext.Provider>
            </section>
            <section class="replay-side" data-testid="replay-truth" aria-label="Ground truth at the same point">
              <h3>Ground truth at seq {shown.truth.at}</h3>
              <StoreContext.Provider value={storeOf('truth')}>
                <TruthPanels />
              </StoreContext.Provider>
            </section>
          </div>
        </>
      )}
    </div>
  );
}

/** The replay section of a control page: closed until asked for (it fetches as it scrubs). */
export function ReplayPanel() {
  const [open, setOpen] = useState(false);
  return (
    <Panel id="replay" title="Replay: what a seat saw, at any point" wide>
      {open ? (
        <Replay />
      ) : (
        <p>
          <span class="muted small">Pick a seat and a point of the exercise to see exactly what that seat was shown then, beside ground truth. </span>
          <button type="button" data-testid="replay-open" onClick={() => setOpen(true)}>
            Open replay
          </button>
        </p>
      )}
    </Panel>
  );
}
